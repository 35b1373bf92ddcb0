"""Accept or reject every tracked change of a DOCX in LibreOffice and print its paragraphs.

Run with a Python that has LibreOffice's UNO bridge (Debian: python3-uno, /usr/bin/python3),
not the project's virtual environment:

    python3 tests/settle_changes.py accept|reject FILE.docx PROFILE_DIR

It starts soffice headless on a private pipe with its own user profile, opens the file hidden,
dispatches .uno:AcceptAllTrackedChanges or .uno:RejectAllTrackedChanges (what Edit > Track
Changes > Accept All / Reject All does), and prints each paragraph of the result on its own
line, then how many tracked changes are left ("redlines left: N").
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(action: str, path: str, profile: str) -> None:
    pipe = f"jobdesc-{uuid.uuid4().hex}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
            "--headless",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext()
        )
        for _ in range(600):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice did not start")
        smgr = context.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(Path(path).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        command = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}[action]
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        dispatcher.executeDispatch(document.getCurrentController().getFrame(), command, "", 0, ())
        paragraphs = document.getText().createEnumeration()
        while paragraphs.hasMoreElements():
            print(paragraphs.nextElement().getString())
        redlines, left = document.getRedlines().createEnumeration(), 0
        while redlines.hasMoreElements():
            redlines.nextElement()
            left += 1
        print(f"redlines left: {left}")
        document.close(True)
        desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(office.pid, signal.SIGKILL)  # the soffice script and the soffice.bin it started


if __name__ == "__main__":
    main(*sys.argv[1:4])
