"""The operator workbench: server-rendered pages for call-takers, dispatchers, units, callback agents and supervisors."""
