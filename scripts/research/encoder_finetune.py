"""Fine-tune a pre-trained Chinese encoder on a labelled message set and score it on a dev set, alone
and averaged with the product's own model (a research measurement; see docs/ml-teddy.md).

It is not part of the product and has its own dependencies, in a separate virtual environment so
that the product's stays as it is:

    python3 -m venv /tmp/enc && /tmp/enc/bin/pip install torch==2.13.0 transformers scikit-learn
    .venv/bin/lianxin ml evaluate ... --save-proba /tmp/ours.csv        # the product's probabilities
    /tmp/enc/bin/python scripts/research/encoder_finetune.py --model-dir DIR \\
        --train ../shared/data/teddy2020c/messages_train.csv --dev ../shared/data/teddy2020c/messages_dev.csv \\
        --combine /tmp/ours.csv

DIR is a local BERT-style model directory (config.json, weights, tokenizer files). Nothing is
downloaded. The run is fixed in advance (epochs, learning rates, equal weights when combining): dev
is only scored, never used to choose anything.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import time
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch
from sklearn.metrics import accuracy_score, f1_score
from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup


def read_rows(path: str) -> tuple[list[str], list[str]]:
    """Title and body joined as the product joins them; the gold label."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [f"{r.get('title') or ''}。{r.get('text') or ''}" for r in rows]
    return texts, [r["label"] for r in rows]


class Classifier(torch.nn.Module):
    """Mean-pooled encoder output, dropout and one linear layer."""

    def __init__(self, model_dir: str, n_classes: int) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(model_dir)
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, n_classes)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
        out: torch.Tensor = self.head(self.dropout(pooled))
        return out


def batch(seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), width, dtype=torch.long)
    mask = torch.zeros(len(seqs), width, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


@torch.no_grad()
def predict(model: Classifier, encoded: list[list[int]], n_classes: int) -> np.ndarray:
    model.eval()
    order = np.argsort([len(s) for s in encoded])  # similar lengths together: less padding
    proba = np.zeros((len(encoded), n_classes), dtype=np.float64)
    for i in range(0, len(encoded), 64):
        idx = order[i : i + 64]
        ids, mask = batch([encoded[j] for j in idx])
        proba[idx] = torch.softmax(model(ids, mask), -1).numpy()
    model.train()
    return proba


def read_combine(path: str, classes: list[str], n_rows: int) -> np.ndarray:
    """Probabilities written by `lianxin ml evaluate --save-proba`, columns reordered to ``classes``."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    if len(body) != n_rows:
        raise SystemExit(f"{path}: {len(body)} rows, the dev file has {n_rows}")
    cols = [header.index(c) for c in classes]
    return np.array([[float(r[c]) for c in cols] for r in body])


def report(name: str, y: np.ndarray, proba: np.ndarray) -> dict[str, Any]:
    pred = proba.argmax(1)
    out = {"macro_f1": round(float(f1_score(y, pred, average="macro")), 4), "accuracy": round(float(accuracy_score(y, pred)), 4)}
    print(f"{name}: dev macro-F1 {out['macro_f1']:.4f}, accuracy {out['accuracy']:.4f}", flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--combine", default=None, help="CSV from `lianxin ml evaluate --save-proba` on the same dev file")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5, help="encoder learning rate")
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--save-proba", default=None, help="write the encoder's dev probabilities here (.npy)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    train_x, train_labels = read_rows(args.train)
    dev_x, dev_labels = read_rows(args.dev)
    classes = sorted(set(train_labels))
    y_train = np.array([classes.index(c) for c in train_labels])
    y_dev = np.array([classes.index(c) if c in classes else -1 for c in dev_labels])

    tokenizer = AutoTokenizer.from_pretrained(args.model_dir)
    enc_train = tokenizer(train_x, truncation=True, max_length=args.max_len)["input_ids"]
    enc_dev = tokenizer(dev_x, truncation=True, max_length=args.max_len)["input_ids"]
    model = Classifier(args.model_dir, len(classes))
    no_decay = ("bias", "LayerNorm.weight")
    named = list(model.encoder.named_parameters())
    optimizer = torch.optim.AdamW(
        [
            {"params": [p for n, p in named if not n.endswith(no_decay)], "lr": args.lr, "weight_decay": 0.01},
            {"params": [p for n, p in named if n.endswith(no_decay)], "lr": args.lr, "weight_decay": 0.0},
            {"params": list(model.head.parameters()), "lr": args.head_lr, "weight_decay": 0.0},
        ]
    )
    steps = math.ceil(len(enc_train) / args.batch)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps * args.epochs), steps * args.epochs)
    loss_fn = torch.nn.CrossEntropyLoss()
    shuffle = torch.Generator().manual_seed(args.seed)
    model.train()
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        perm = torch.randperm(len(enc_train), generator=shuffle).tolist()
        total = 0.0
        for step in range(steps):
            idx = perm[step * args.batch : (step + 1) * args.batch]
            ids, mask = batch([enc_train[j] for j in idx])
            loss = loss_fn(model(ids, mask), torch.tensor(y_train[idx]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
        print(f"epoch {epoch}: {(time.time() - t0) / 60:.1f} min, train loss {total / steps:.4f}", flush=True)
    proba = predict(model, enc_dev, len(classes))
    if args.save_proba:
        np.save(args.save_proba, proba)
    report("encoder", y_dev, proba)
    if args.combine:
        ours = read_combine(args.combine, classes, len(dev_x))
        report("product model", y_dev, ours)
        report("equal-weight average", y_dev, (proba + ours) / 2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
