"""User-facing messages of the QuickBooks Web Connector endpoint (``qbwc.*``) and the COM transport (``qbcom.*``).

Texts returned to the Web Connector (getLastError, closeConnection) are shown to the user in its window and log.
"""

from halo_accounts.messages import Message

MESSAGES: list[Message] = [
    # --- the SOAP endpoint --------------------------------------------------------------------------------------
    Message(
        "qbwc.soap_malformed",
        "The request to the Web Connector endpoint is not a SOAP message this program understands: {detail}.",
        "Point only the QuickBooks Web Connector at this address (the AppURL in the .qwc file from "
        "`halo-accounts qwc`).",
    ),
    Message(
        "qbwc.soap_unknown_method",
        "The Web Connector called '{method}', which this program does not offer.",
        "Update the QuickBooks Web Connector, or remove and re-add the application with a fresh .qwc file "
        "from `halo-accounts qwc`.",
    ),
    Message(
        "qbwc.unknown_ticket",
        "halo-accounts does not know this Web Connector session (it was restarted or the session expired).",
        "Nothing was lost: run the update again in the Web Connector (Update Selected); the next run picks up "
        "where this one stopped.",
    ),
    Message(
        "qbwc.session_closed",
        "The Web Connector session ended before the sync had finished ({reason}).",
        "Run the update again in the Web Connector; the next run reconciles anything that was in flight.",
    ),
    Message(
        "qbwc.session_expired",
        "The Web Connector did not call back within {seconds} seconds, so halo-accounts ended the session.",
        "Check that the Web Connector is still running and can reach this program, then run the update again.",
    ),
    Message(
        "qbwc.quickbooks_error",
        "QuickBooks could not run a request from halo-accounts: {detail} (HRESULT {hresult}).",
        "Make sure QuickBooks is open on the right company file with no dialog box showing, then run the update "
        "again in the Web Connector.",
    ),
    Message(
        "qbwc.connection_error",
        "The Web Connector could not open QuickBooks: {detail} (HRESULT {hresult}).",
        "Open QuickBooks on the company file this application was authorised for (Edit > Preferences > "
        "Integrated Applications lists it), then run the update again.",
    ),
    Message(
        "qbwc.job_failed",
        "The sync stopped with an unexpected error ({kind}).",
        "Run `halo-accounts status` for the details in the log; the next run reconciles anything in flight.",
    ),
    Message(
        "qbwc.no_answer",
        "The sync has not sent its next request to QuickBooks in time.",
        "Run the update again in the Web Connector; if it keeps happening, check the halo-accounts log.",
    ),
    Message(
        "qbwc.complete",
        "halo-accounts: update complete.",
        "Nothing to do; the Web Connector runs the next update on its schedule.",
    ),
    Message(
        "qbwc.client_too_old",
        "This QuickBooks Web Connector ({version}) is older than {minimum}, which halo-accounts needs.",
        "Install the current QuickBooks Web Connector from Intuit, then run the update again.",
    ),
    Message(
        "qbwc.https_required",
        "The Web Connector endpoint would listen on {host} without HTTPS; plain HTTP is only allowed on "
        "localhost.",
        "Set webconnector.cert_file and webconnector.key_file (a certificate the QuickBooks PC trusts) in the "
        "[webconnector] section of the configuration, or set webconnector.host to 127.0.0.1.",
    ),
    Message(
        "qbwc.cert_missing",
        "The certificate or key file '{path}' for the Web Connector endpoint does not exist.",
        "Fix webconnector.cert_file / webconnector.key_file in the [webconnector] section of the configuration.",
    ),
    Message(
        "qbwc.cert_incomplete",
        "Only one of webconnector.cert_file and webconnector.key_file is set.",
        "Set both (the certificate and its private key) in the [webconnector] section, or neither for "
        "localhost-only HTTP.",
    ),
    Message(
        "qbwc.qwc_https_required",
        "The Web Connector address {url} is not HTTPS; the Web Connector accepts plain HTTP only for localhost.",
        "Set webconnector.public_url to an https:// address (and webconnector.cert_file / key_file), or run "
        "halo-accounts on the QuickBooks PC and use http://localhost.",
    ),
    Message(
        "qbwc.qwc_bad_url",
        "The Web Connector address '{url}' is not a usable http(s) URL.",
        "Set webconnector.public_url in the [webconnector] section, e.g. https://sync.example.com:8765/qbwc.",
    ),
    Message(
        "qbwc.ids_unreadable",
        "The Web Connector identity file {path} is damaged: {detail}.",
        "Delete {path} and run `halo-accounts qwc` again; the Web Connector will then ask QuickBooks to "
        "authorise the application again.",
    ),
    Message(
        "qbwc.password_missing",
        "No Web Connector password is set.",
        "Run `halo-accounts webconnector-password`, or set HALO_ACCOUNTS_WEBCONNECTOR_PASSWORD in the "
        "environment; type the same password into the Web Connector.",
    ),
    Message(
        "qbwc.keyring_failed",
        "The Web Connector password could not be stored in the OS keyring: {detail}.",
        "Set HALO_ACCOUNTS_WEBCONNECTOR_PASSWORD in the environment of the halo-accounts service instead.",
    ),
    Message(
        "qbwc.sandbox_update_failed",
        "The sandbox Web Connector update ended with '{outcome}': {detail}",
        "Check the --url, --user and --password given to `halo-accounts sandbox webconnector` and that "
        "`halo-accounts serve` is running.",
    ),
    # --- the COM transport (QBXMLRP2 request processor, Windows) ------------------------------------------------
    Message(
        "qbcom.not_windows",
        "The COM transport to QuickBooks needs Windows with QuickBooks Desktop installed.",
        "Set quickbooks.transport = \"webconnector\" in the [quickbooks] section of the configuration.",
    ),
    Message(
        "qbcom.no_pywin32",
        "The Python package pywin32, needed to talk to QuickBooks over COM, is not installed.",
        "Install it with `pip install halo-accounts[windows]`.",
    ),
    Message(
        "qbcom.no_sdk",
        "The QuickBooks request processor (QBXMLRP2) is not registered on this PC: {detail}.",
        "Install QuickBooks Desktop (or the QuickBooks SDK) on this PC, matching this Python's bitness "
        "(32-bit Python for QuickBooks before 2022).",
    ),
    Message(
        "qbcom.error",
        "QuickBooks refused the request: {detail} (HRESULT {hresult}).",
        "Check QuickBooks on this PC, then run the sync again.",
    ),
    Message(
        "qbcom.cannot_start",
        "QuickBooks could not be started (HRESULT {hresult}).",
        "Open QuickBooks on this PC and log in to the company file, then run the sync again.",
    ),
    Message(
        "qbcom.wrong_file",
        "QuickBooks has a different company file open from the one requested ({company}) (HRESULT {hresult}).",
        "Open {company} in QuickBooks, or set quickbooks.company_file in the [quickbooks] section to the file "
        "that is open (empty = whichever is open).",
    ),
    Message(
        "qbcom.cannot_open_file",
        "QuickBooks could not open the company file {company} (HRESULT {hresult}).",
        "Check quickbooks.company_file in the [quickbooks] section (full path to the .QBW file), and that this "
        "Windows user can open it.",
    ),
    Message(
        "qbcom.no_file",
        "QuickBooks is not running and no company file was named (HRESULT {hresult}).",
        "Open QuickBooks on the company file, or set quickbooks.company_file in the [quickbooks] section to the "
        "full path of the .QBW file.",
    ),
    Message(
        "qbcom.file_mode",
        "The company file is open in a mode (single-/multi-user) QuickBooks cannot share with this program "
        "(HRESULT {hresult}).",
        "Switch QuickBooks to the other mode (File > Switch to Multi-user / Single-user Mode) or close other "
        "programs using the file, then run the sync again.",
    ),
    Message(
        "qbcom.first_access",
        "This program has not been authorised for this company file yet (HRESULT {hresult}).",
        "Log in to QuickBooks as the Admin user in single-user mode and run the sync once; answer Yes, always "
        "when QuickBooks asks whether to allow halo-accounts.",
    ),
    Message(
        "qbcom.access_denied",
        "QuickBooks denied this program access to the company file (HRESULT {hresult}).",
        "As the QuickBooks Admin, open Edit > Preferences > Integrated Applications > Company Preferences and "
        "allow halo-accounts (tick 'Allow this application to login automatically' for unattended runs).",
    ),
    Message(
        "qbcom.no_auto_login",
        "QuickBooks does not allow this program to log in automatically (HRESULT {hresult}).",
        "As the QuickBooks Admin, open Edit > Preferences > Integrated Applications > Company Preferences, "
        "select halo-accounts, Properties, and tick 'Allow this application to login automatically'.",
    ),
    Message(
        "qbcom.dialog_open",
        "A dialog box is open in QuickBooks, so it cannot take requests (HRESULT {hresult}).",
        "Close the dialog box in QuickBooks on this PC, then run the sync again.",
    ),
    Message(
        "qbcom.busy",
        "QuickBooks is busy or still starting (HRESULT {hresult}).",
        "Wait a minute and run the sync again.",
    ),
    Message(
        "qbcom.xml_rejected",
        "QuickBooks could not read a request from halo-accounts (HRESULT {hresult}): {detail}.",
        "This is a bug in halo-accounts: report it with the request in the sync journal.",
    ),
    Message(
        "qbcom.version_unsupported",
        "This QuickBooks does not support the qbXML version halo-accounts asked for (HRESULT {hresult}).",
        "Update QuickBooks Desktop, or report the QuickBooks version shown in Help > About.",
    ),
]
