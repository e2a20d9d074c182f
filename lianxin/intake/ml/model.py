"""Trainable text classifier for work-order fields (category, lead unit, appeal type ...).

Method (see ``../shared/research/nlp-stack.md`` beside the repository): sparse TF-IDF features over the title and
the body (character n-grams plus optional jieba word n-grams); two first-level linear models, a
linear SVM with balanced class weights and an NB-SVM (one-vs-rest SVMs over features scaled by
each class's naive-Bayes log-count ratio); and a multinomial logistic calibrator stacked on
their cross-validated scores, so that ``Prediction.confidence`` is a probability and ``ranked``
gives the top-k labels. Since every stage is linear before the softmax, the calibrator is
folded into the first-level weights at the end of training: the saved model is one
(n_features, n_classes) matrix, as fast and as large as a single SVM.

Prediction does not go through scikit-learn's estimator machinery: after the vectorisers the
model is a sparse-matrix product and a few small numpy operations, which keeps one text well
under 2 ms on the reference machine.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

__all__ = [
    "FeatureBlock",
    "Prediction",
    "TrainConfig",
    "TrainedModel",
    "compose_text",
    "train",
]

TITLE_SEP = "\u2029"  # paragraph separator: never typed by citizens, separates title from body


def compose_text(title: str | None, text: str | None) -> str:
    """Join a title and a body into the single string the model consumes."""
    return f"{(title or '').strip()}{TITLE_SEP}{(text or '').strip()}"


def _title_of(doc: str) -> str:
    head, sep, _ = doc.partition(TITLE_SEP)
    return head if sep else ""


def _body_of(doc: str) -> str:
    head, sep, tail = doc.partition(TITLE_SEP)
    return tail if sep else head


def _full_of(doc: str) -> str:
    head, sep, tail = doc.partition(TITLE_SEP)
    return f"{head}。{tail}" if sep else head


_jieba_ready = False


def jieba_tokens(text: str) -> list[str]:
    """Word tokens from jieba (precise mode), without whitespace and single punctuation marks."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        jieba.setLogLevel(60)
        _jieba_ready = True
    return [w for w in jieba.lcut(text) if w.strip() and not (len(w) == 1 and not w.isalnum())]


FIELD_GETTERS = {"full": _full_of, "title": _title_of, "body": _body_of}


@dataclass(frozen=True)
class FeatureBlock:
    """One TF-IDF block: which part of the text, char or word analyser, n-gram range, weight."""

    field: Literal["full", "title", "body"] = "full"
    analyzer: Literal["char", "word"] = "char"
    ngram: tuple[int, int] = (1, 3)
    min_df: int = 2
    max_features: int | None = None
    weight: float = 1.0

    def __post_init__(self) -> None:
        # Blocks also come from ``--config`` JSON: reject what would only fail deep inside training.
        if self.field not in FIELD_GETTERS:
            raise ValueError(f"block field must be one of {', '.join(FIELD_GETTERS)}, not {self.field!r}")
        if self.analyzer not in ("char", "word"):
            raise ValueError(f"block analyzer must be 'char' or 'word', not {self.analyzer!r}")
        ngram = tuple(self.ngram) if isinstance(self.ngram, list | tuple) else ()
        if not (len(ngram) == 2 and all(isinstance(n, int) for n in ngram) and 1 <= ngram[0] <= ngram[1]):
            raise ValueError(f"block ngram must be two integers 1 <= low <= high, not {self.ngram!r}")


def _default_blocks() -> tuple[FeatureBlock, ...]:
    return (
        FeatureBlock("full", "char", (1, 3), 2),
        FeatureBlock("full", "word", (1, 2), 2),
        FeatureBlock("title", "char", (1, 3), 1),
    )


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters. The defaults were selected by 5-fold cross-validation on a 7-class
    public message set (``teddy2020c`` train split); see docs/ml-teddy.md."""

    blocks: tuple[FeatureBlock, ...] = field(default_factory=_default_blocks)
    C: float = 0.3
    class_weight: Literal["balanced"] | None = "balanced"
    # NB-SVM (Wang & Manning 2012): one-vs-rest linear SVMs over features scaled by each
    # class's log-count ratio, learned from the training rows. Its scores are stacked with the
    # plain SVM's (``stack_svm``) in the calibrator. 5-fold CV on teddy2020c train, macro-F1:
    # plain SVM 0.917 (calibrated 0.919), NB-SVM 0.924 (calibrated 0.927), both stacked 0.929.
    nb_svm: bool = True
    nb_C: float = 0.3
    nb_alpha: float = 1.0
    stack_svm: bool = True
    # Multinomial naive Bayes over the same TF-IDF rows as a further stacked member (off by
    # default: on teddy2020c it moved 5-fold CV macro-F1 by -0.0005 averaged over three fold
    # seeds, i.e. not at all; docs/ml-teddy.md). Its scores are centred over classes and scaled
    # to unit spread so the calibrator's regularisation treats it like the SVM margins.
    mnb: bool = False
    mnb_alpha: float = 0.03
    calib_C: float = 1.0
    cv_folds: int = 5
    # Out-of-fold scores from this many differently seeded fold splits, pooled to fit the
    # calibrator, so the stacked weights depend less on one split. Costs ``cv_folds * cv_repeats``
    # extra first-level fits; the CV figure is averaged over repeats. Off by default: on
    # teddy2020c three repeats gave dev macro-F1 0.910 against 0.909 (docs/ml-teddy.md).
    cv_repeats: int = 1
    top_k: int = 5
    random_state: int = 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["blocks"] = [asdict(b) for b in self.blocks]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainConfig:
        values = dict(data)
        blocks = values.get("blocks", [])
        if not isinstance(blocks, list) or not blocks or not all(isinstance(b, dict) for b in blocks):
            raise ValueError("blocks must be a non-empty list of objects")
        values["blocks"] = tuple(
            FeatureBlock(**{**b, "ngram": tuple(n) if isinstance(n := b.get("ngram", (1, 3)), list) else n})
            for b in blocks
        )
        return cls(**values)


@dataclass(frozen=True)
class Prediction:
    """A suggestion: best label, its calibrated probability, and the top-k labels with scores."""

    label: str
    confidence: float
    ranked: list[tuple[str, float]]


class _Getter:
    """Picklable preprocessor selecting one field of a composed document."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: str) -> str:
        return FIELD_GETTERS[self.name](doc).lower()


class TextFeatures:
    """A horizontal stack of TF-IDF blocks over composed documents."""

    def __init__(self, blocks: Sequence[FeatureBlock]) -> None:
        self.blocks = tuple(blocks)
        self.vectorizers: list[TfidfVectorizer | None] = []

    def _make(self, block: FeatureBlock) -> TfidfVectorizer:
        common: dict[str, Any] = {
            "preprocessor": _Getter(block.field),
            "ngram_range": block.ngram,
            "min_df": block.min_df,
            "max_features": block.max_features,
            "sublinear_tf": True,
            "dtype": np.float32,
        }
        if block.analyzer == "char":
            return TfidfVectorizer(analyzer="char", **common)
        return TfidfVectorizer(
            analyzer="word", tokenizer=jieba_tokens, token_pattern=None, lowercase=False, **common
        )

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        self.vectorizers = []
        mats = []
        for block in self.blocks:
            vec: TfidfVectorizer | None = self._make(block)
            try:
                assert vec is not None
                mat = vec.fit_transform(docs)
            except ValueError:  # empty vocabulary (e.g. all titles empty): drop the block
                vec = None
                mat = sp.csr_matrix((len(docs), 0), dtype=np.float32)
            self.vectorizers.append(vec)
            mats.append(mat * block.weight)
        self.__dict__.pop("_plan_cache", None)
        return sp.hstack(mats, format="csr", dtype=np.float32)

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Same result as stacking each ``TfidfVectorizer.transform``, without its per-call
        overhead (about 3 ms per block for one text): analyser, vocabulary lookup, sublinear tf,
        idf, l2 norm, done here directly."""
        indptr = [0]
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        plan = self._plan()
        for doc in docs:
            nnz = 0
            for offset, analyzer, vocab, idf, weight in plan:
                counts: dict[int, int] = {}
                for tok in analyzer(doc):
                    j = vocab.get(tok)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if not counts:
                    continue
                idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                val = (np.log(tf) + 1.0) * idf[idx]
                norm = float(np.sqrt(np.dot(val, val)))
                if norm > 0:
                    val *= weight / norm
                indices.append(idx + offset)
                values.append(val)
                nnz += len(idx)
            indptr.append(indptr[-1] + nnz)
        n_cols = sum(len(v.vocabulary_) for v in self.vectorizers if v is not None)
        if indices:
            ind = np.concatenate(indices)
            dat = np.concatenate(values).astype(np.float32)
        else:
            ind = np.zeros(0, dtype=np.int64)
            dat = np.zeros(0, dtype=np.float32)
        return sp.csr_matrix((dat, ind, np.array(indptr)), shape=(len(docs), n_cols))

    def _plan(self) -> list[tuple[int, Any, dict[str, int], np.ndarray, float]]:
        plan = getattr(self, "_plan_cache", None)
        if plan is None:
            plan = []
            offset = 0
            for block, vec in zip(self.blocks, self.vectorizers, strict=True):
                if vec is None:
                    continue
                plan.append((offset, vec.build_analyzer(), vec.vocabulary_,
                             np.asarray(vec.idf_, dtype=np.float64), float(block.weight)))
                offset += len(vec.vocabulary_)
            self._plan_cache = plan
        return plan

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_plan_cache", None)
        return state

    def transform_sklearn(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Reference path through scikit-learn (used by the tests to check :meth:`transform`)."""
        mats = []
        for block, vec in zip(self.blocks, self.vectorizers, strict=True):
            if vec is not None:
                mats.append(vec.transform(docs) * block.weight)
        return sp.hstack(mats, format="csr", dtype=np.float32)

    @property
    def n_features(self) -> int:
        return sum(len(v.vocabulary_) for v in self.vectorizers if v is not None)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class TrainedModel:
    """A fitted classifier plus the metadata written to ``meta.json``."""

    def __init__(
        self,
        *,
        target: str,
        classes: Sequence[str],
        features: TextFeatures,
        coef: np.ndarray,
        intercept: np.ndarray,
        calib_coef: np.ndarray | None,
        calib_intercept: np.ndarray | None,
        config: TrainConfig,
        meta: dict[str, Any],
    ) -> None:
        self.target = target
        self.classes = list(classes)
        self.features = features
        # Dense (n_features, n_classes): a sparse row times a dense matrix is the fast path.
        self.coef_t = np.ascontiguousarray(np.asarray(coef, dtype=np.float32).T)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.calib_coef = None if calib_coef is None else np.asarray(calib_coef, dtype=np.float64)
        self.calib_intercept = (
            None if calib_intercept is None else np.asarray(calib_intercept, dtype=np.float64)
        )
        self.config = config
        self.meta = meta

    @property
    def version(self) -> str:
        return str(self.meta.get("version", ""))

    def decision_function(self, docs: Sequence[str]) -> np.ndarray:
        """Raw linear scores, shape (n, n_classes). ``docs`` are :func:`compose_text` strings."""
        x = self.features.transform(docs)
        scores = np.asarray(x @ self.coef_t, dtype=np.float64) + self.intercept
        if len(self.classes) == 2 and scores.shape[1] == 1:
            scores = np.hstack([-scores, scores])
        return scores

    def _calibrate(self, scores: np.ndarray) -> np.ndarray:
        if self.calib_coef is None or self.calib_intercept is None:
            return _softmax(scores)
        return _softmax(scores @ self.calib_coef.T + self.calib_intercept)

    def predict_proba(
        self, texts: Sequence[str], titles: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """Calibrated class probabilities, columns in ``self.classes`` order."""
        return self._calibrate(self.decision_function(_compose_all(texts, titles)))

    def predict(
        self,
        texts: Sequence[str],
        titles: Sequence[str | None] | None = None,
        *,
        k: int | None = None,
    ) -> list[Prediction]:
        """Predict labels for raw texts (optionally with titles). ``k`` defaults to config.top_k."""
        if isinstance(texts, str):
            raise TypeError("predict() takes a sequence of texts, not a single string")
        if not texts:
            return []
        proba = self.predict_proba(texts, titles)
        top = max(1, min(k or self.config.top_k, len(self.classes)))
        order = np.argsort(-proba, axis=1, kind="stable")[:, :top]
        out: list[Prediction] = []
        for row, idx in zip(proba, order, strict=True):
            ranked = [(self.classes[i], round(float(row[i]), 6)) for i in idx]
            out.append(Prediction(label=ranked[0][0], confidence=ranked[0][1], ranked=ranked))
        return out


def _compose_all(texts: Sequence[str], titles: Sequence[str | None] | None) -> list[str]:
    if titles is None:
        return [compose_text(None, t) for t in texts]
    if len(titles) != len(texts):
        raise ValueError("texts and titles must have the same length")
    return [compose_text(ti, te) for ti, te in zip(titles, texts, strict=True)]


def _dedupe(
    docs: list[str], labels: list[str], groups: Sequence[str | None] | None
) -> tuple[list[str], list[str], int]:
    """Keep the first row of each duplicate group (or of each identical text+label)."""
    seen: set[tuple[str, str]] = set()
    out_docs: list[str] = []
    out_labels: list[str] = []
    for i, (doc, label) in enumerate(zip(docs, labels, strict=True)):
        g = groups[i] if groups is not None else None
        key = ("g", str(g)) if g not in (None, "") else ("t", f"{label}\x00{doc}")
        if key in seen:
            continue
        seen.add(key)
        out_docs.append(doc)
        out_labels.append(label)
    return out_docs, out_labels, len(docs) - len(out_docs)


def _macro_f1(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> float:
    f1s = []
    for c in range(n_classes):
        tp = int(np.sum((y_pred == c) & (y_true == c)))
        fp = int(np.sum((y_pred == c) & (y_true != c)))
        fn = int(np.sum((y_pred != c) & (y_true == c)))
        denom = 2 * tp + fp + fn
        f1s.append(0.0 if denom == 0 else 2 * tp / denom)
    return float(np.mean(f1s))


def _fit_svm(x: sp.csr_matrix, y: np.ndarray, config: TrainConfig) -> LinearSVC:
    clf = LinearSVC(C=config.C, class_weight=config.class_weight, random_state=config.random_state)
    clf.fit(x, y)
    return clf


def _svm_scores(clf: LinearSVC, x: sp.csr_matrix, n_classes: int) -> np.ndarray:
    s = np.asarray(clf.decision_function(x), dtype=np.float64)
    if s.ndim == 1:
        s = np.column_stack([-s, s])
    if s.shape[1] != n_classes:  # a fold lacked some class: spread known columns out
        full = np.full((s.shape[0], n_classes), -10.0)
        full[:, clf.classes_] = s
        s = full
    return s


def _nb_ratios(x: sp.csr_matrix, y: np.ndarray, n_classes: int, alpha: float) -> np.ndarray:
    """Log-count ratios r[c] = log(p_c / q_c) of binarised feature presence, shape (C, F)."""
    xb = x.copy()
    xb.data[:] = 1.0
    total = np.asarray(xb.sum(axis=0), dtype=np.float64).ravel()
    out = np.zeros((n_classes, x.shape[1]), dtype=np.float64)
    for c in range(n_classes):
        mask = y == c
        pos = np.asarray(xb[mask].sum(axis=0), dtype=np.float64).ravel()
        p = alpha + pos
        q = alpha + (total - pos)
        out[c] = np.log(p / p.sum()) - np.log(q / q.sum())
    return out


def _fit_nbsvm(
    x: sp.csr_matrix, y: np.ndarray, n_classes: int, config: TrainConfig
) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest SVMs on NB-scaled features, folded back to a linear model on ``x``:
    returns ``(coef (C, F), intercept (C,))``. A class absent from ``y`` scores -10."""
    ratios = _nb_ratios(x, y, n_classes, config.nb_alpha)
    coef = np.zeros((n_classes, x.shape[1]), dtype=np.float64)
    intercept = np.full(n_classes, -10.0)
    for c in range(n_classes):
        target = (y == c).astype(int)
        if target.min() == target.max():
            continue
        r = ratios[c]
        clf = LinearSVC(C=config.nb_C, class_weight=config.class_weight,
                        random_state=config.random_state)
        clf.fit(x @ sp.diags(r.astype(np.float32)), target)
        coef[c] = clf.coef_[0] * r
        intercept[c] = clf.intercept_[0]
    return coef, intercept


def _full_svm(
    x: sp.csr_matrix, y: np.ndarray, n_classes: int, config: TrainConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Plain linear SVM as ``(coef (C, F), intercept (C,))`` for any number of classes."""
    clf = _fit_svm(x, y, config)
    coef = np.asarray(clf.coef_, dtype=np.float64)
    intercept = np.asarray(clf.intercept_, dtype=np.float64)
    if coef.shape[0] == 1:
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-intercept[0], intercept[0]])
    if coef.shape[0] != n_classes:  # the fold lacked some class
        full_c = np.zeros((n_classes, x.shape[1]))
        full_b = np.full(n_classes, -10.0)
        full_c[clf.classes_] = coef
        full_b[clf.classes_] = intercept
        coef, intercept = full_c, full_b
    return coef, intercept


def _fit_mnb(
    x: sp.csr_matrix, y: np.ndarray, n_classes: int, config: TrainConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial NB as ``(coef (C, F), intercept (C,))``, centred over classes and scaled so its
    in-sample scores have unit standard deviation (raw joint log-likelihoods are hundreds of
    units apart, which the calibrator's L2 penalty would not weigh like SVM margins)."""
    counts = np.zeros((n_classes, x.shape[1]), dtype=np.float64)
    for c in range(n_classes):
        mask = y == c
        if mask.any():
            counts[c] = np.asarray(x[mask].sum(axis=0), dtype=np.float64).ravel()
    smoothed = counts + config.mnb_alpha
    coef = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
    present = np.bincount(y, minlength=n_classes) > 0
    prior = np.where(present, np.log(np.maximum(np.bincount(y, minlength=n_classes), 1) / len(y)), 0.0)
    coef -= coef.mean(axis=0, keepdims=True)
    intercept = prior - prior.mean()
    scores = np.asarray(x @ coef.T) + intercept
    scale = float(scores.std()) or 1.0
    coef /= scale
    intercept = intercept / scale
    intercept[~present] = -10.0  # a class absent from this fold, as for the SVMs
    coef[~present] = 0.0
    return coef, intercept


def _base_models(
    x: sp.csr_matrix, y: np.ndarray, n_classes: int, config: TrainConfig
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The first-level linear models whose scores the calibrator stacks."""
    models = []
    if config.stack_svm or not config.nb_svm:
        models.append(_full_svm(x, y, n_classes, config))
    if config.nb_svm:
        models.append(_fit_nbsvm(x, y, n_classes, config))
    if config.mnb:
        models.append(_fit_mnb(x, y, n_classes, config))
    return models


def _oof_scores(
    x: sp.csr_matrix, y: np.ndarray, n_cls: int, cfg: TrainConfig, folds: int, seed: int
) -> np.ndarray:
    """Out-of-fold first-level scores, shape (n, n_cls * number of base models)."""
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    oof: np.ndarray | None = None
    for tr_idx, va_idx in skf.split(np.zeros(len(y)), y):
        fold_models = _base_models(x[tr_idx], y[tr_idx], n_cls, cfg)
        if oof is None:
            oof = np.zeros((len(y), n_cls * len(fold_models)))
        x_va = x[va_idx]
        oof[va_idx] = np.hstack([np.asarray(x_va @ w.T, dtype=np.float64) + b for w, b in fold_models])
    assert oof is not None
    return oof


def _library_versions() -> dict[str, str]:
    import importlib.metadata as md
    import platform

    out = {"python": platform.python_version()}
    for name in ("scikit-learn", "numpy", "scipy", "jieba", "joblib"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "absent"
    return out


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    target: str,
    titles: Sequence[str | None] | None = None,
    dedupe_keys: Sequence[str | None] | None = None,
    config: TrainConfig | None = None,
    created_at: datetime | None = None,
) -> TrainedModel:
    """Train a classifier for ``target`` (e.g. ``"category"``).

    ``texts`` are bodies, ``titles`` optional titles (used for rows with an empty body too).
    Rows sharing a non-empty ``dedupe_keys`` value are treated as one; without keys, identical
    (text, label) rows are. Cross-validated figures are stored in ``meta["eval"]["cv"]``.
    """
    cfg = config or TrainConfig()
    if len(texts) != len(labels):
        raise ValueError("texts and labels must have the same length")
    if dedupe_keys is not None and len(dedupe_keys) != len(texts):
        raise ValueError("dedupe_keys must have the same length as texts")
    docs_all = _compose_all(texts, titles)
    keep = [i for i, (d, lab) in enumerate(zip(docs_all, labels, strict=True))
            if lab.strip() and d.strip(TITLE_SEP + " ")]
    docs = [docs_all[i] for i in keep]
    labs = [labels[i].strip() for i in keep]
    keys = None if dedupe_keys is None else [dedupe_keys[i] for i in keep]
    docs, labs, n_dupes = _dedupe(docs, labs, keys)
    counts = Counter(labs)
    if len(counts) < 2:
        raise ValueError("training needs at least two distinct labels")
    classes = sorted(counts)
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[lab] for lab in labs])

    features = TextFeatures(cfg.blocks)
    x = features.fit_transform(docs)

    # Out-of-fold first-level scores: model-selection figures and the calibrator's data.
    n_cls = len(classes)
    folds = min(cfg.cv_folds, min(counts.values()))
    cv_eval: dict[str, Any] | None = None
    calibrator: LogisticRegression | None = None
    if folds >= 2:
        repeats = max(1, cfg.cv_repeats)
        oofs = [_oof_scores(x, y, n_cls, cfg, folds, cfg.random_state + 1000 * r) for r in range(repeats)]
        calibrator = LogisticRegression(C=cfg.calib_C, max_iter=2000)
        calibrator.fit(np.vstack(oofs), np.tile(y, repeats))
        # Calibrated (stacked) figure: the calibrator itself cross-validated on the OOF scores
        # (trained on the pooled repeats of the other rows, scored on each repeat of the held-out).
        inner = min(folds, 5)
        stacked = [np.zeros(len(y), dtype=int) for _ in oofs]
        for tr_idx, va_idx in StratifiedKFold(
            n_splits=inner, shuffle=True, random_state=cfg.random_state + 1
        ).split(oofs[0], y):
            if len(np.unique(y[tr_idx])) < 2:
                for pred, oof in zip(stacked, oofs, strict=True):
                    pred[va_idx] = oof[va_idx, :n_cls].argmax(axis=1)
                continue
            lr = LogisticRegression(C=cfg.calib_C, max_iter=2000).fit(
                np.vstack([oof[tr_idx] for oof in oofs]), np.tile(y[tr_idx], repeats)
            )
            for pred, oof in zip(stacked, oofs, strict=True):
                pred[va_idx] = lr.classes_[lr.predict_proba(oof[va_idx]).argmax(axis=1)]
        n_base = oofs[0].shape[1] // n_cls
        per_model = [
            round(float(np.mean([
                _macro_f1(y, oof[:, k * n_cls:(k + 1) * n_cls].argmax(axis=1), n_cls) for oof in oofs
            ])), 4)
            for k in range(n_base)
        ]
        f1s = [_macro_f1(y, pred, n_cls) for pred in stacked]
        cv_eval = {
            "folds": folds,
            "repeats": repeats,
            "macro_f1": round(float(np.mean(f1s)), 4),
            "accuracy": round(float(np.mean([np.mean(pred == y) for pred in stacked])), 4),
            "base_models_macro_f1": per_model,
            "note": "first-level scores out-of-fold, calibrator cross-validated on them; "
                    "vocabulary/IDF fitted on all training rows",
        }
        if repeats > 1:
            cv_eval["macro_f1_per_repeat"] = [round(f, 4) for f in f1s]

    # Final first-level models on all rows, folded with the calibrator into one linear map:
    # logits = sum_k (x W_k^T + b_k) A_k^T + c = x (sum_k W_k^T A_k^T) + (sum_k b_k A_k^T + c).
    models = _base_models(x, y, n_cls, cfg)
    if calibrator is not None:
        a = np.asarray(calibrator.coef_, dtype=np.float64)
        c0 = np.asarray(calibrator.intercept_, dtype=np.float64)
        if n_cls == 2:  # binary LR has one row: expand to two softmax logits
            a = np.vstack([-a / 2, a / 2])
            c0 = np.array([-c0[0] / 2, c0[0] / 2])
        coef = np.zeros((n_cls, x.shape[1]))
        intercept = c0.copy()
        for k, (w, b) in enumerate(models):
            a_k = a[:, k * n_cls:(k + 1) * n_cls]
            coef += a_k @ w
            intercept += a_k @ b
    else:  # too few rows to calibrate: average the raw scores
        coef = np.mean(np.stack([w for w, _ in models]), axis=0)
        intercept = np.mean(np.stack([b for _, b in models]), axis=0)

    when = (created_at or datetime.now(UTC)).astimezone(UTC)
    digest = hashlib.sha1()
    for d, lab in zip(docs, labs, strict=True):
        digest.update(lab.encode())
        digest.update(b"\x00")
        digest.update(d.encode())
        digest.update(b"\x01")
    digest.update(repr(cfg.to_json()).encode())
    version = f"{target}-{when:%Y%m%dT%H%M}-{digest.hexdigest()[:8]}"
    meta: dict[str, Any] = {
        "version": version,
        "target": target,
        "created_at": when.isoformat(timespec="seconds"),
        "training_rows": len(texts),
        "training_rows_used": len(docs),
        "duplicates_dropped": n_dupes,
        "labels": classes,
        "label_counts": {c: counts[c] for c in classes},
        "n_features": features.n_features,
        "config": cfg.to_json(),
        "libraries": _library_versions(),
        "eval": {"cv": cv_eval},
        "method": (
            "tfidf(char+word) -> "
            + ("LinearSVC(balanced) + " if cfg.stack_svm or not cfg.nb_svm else "")
            + ("NB-SVM(one-vs-rest) " if cfg.nb_svm else "")
            + ("+ multinomial NB " if cfg.mnb else "")
            + "-> multinomial LR stacked on OOF scores, folded into one linear map"
        ),
    }
    return TrainedModel(
        target=target,
        classes=classes,
        features=features,
        coef=coef,
        intercept=intercept,
        calib_coef=None,
        calib_intercept=None,
        config=cfg,
        meta=meta,
    )


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """ECE over equal-width confidence bins."""
    total = len(confidence)
    if total == 0:
        return math.nan
    ece = 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    for lo, hi in itertools.pairwise(edges):
        mask = (confidence > lo) & (confidence <= hi)
        if mask.any():
            ece += mask.sum() / total * abs(float(correct[mask].mean()) - float(confidence[mask].mean()))
    return ece
