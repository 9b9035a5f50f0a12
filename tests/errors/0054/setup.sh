# Runs in the case's data/ folder before the check.
truncate -s 1048577 records/acme.yaml
