"""Print a local `.env` for the embedded mode, with a secret key made on this machine."""

import secrets

print("# Local configuration of this checkout (embedded mode). Not committed.")
print("MAILLAGE_MODE=embedded")
print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
