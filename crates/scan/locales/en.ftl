## Scan — English

org-scan-link = This organisation's scans
card-scan-title = Scan
