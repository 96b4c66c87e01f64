## Scan — Nederlands

org-scan-link = Scans van deze organisatie
card-scan-title = Scan
