"""jobdesc from Python: one document, a check of the profiles, and a small batch."""

from pathlib import Path

import jobdesc

if __name__ == "__main__":  # needed: the batch's worker processes import this script again
    request = jobdesc.Request(role="account-manager", language="it", jurisdiction="it", formats=("pdf", "docx"))
    for path in jobdesc.render(request, Path("out")):
        print("wrote", path)

    check = jobdesc.validate()  # the bundled profiles; jobdesc.validate(jobdesc.Bundle(Path("my-profiles")))
    print("problems:", len(check.problems))

    batch = Path("two-countries.yaml")
    batch.write_text("roles: [account-manager]\njurisdictions: [de, fr]\nformats: [docx]\n", encoding="utf-8")
    result = jobdesc.run_batch(batch, Path("out"), workers=2)
    print(result.totals())  # {'variants': 2, 'rendered': 2, ..., 'failed': 0, 'files': 2, 'seconds': ...}
