"""User-facing messages of the sage area (see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

_SDO_FIX_LOG = "If it keeps happening, send Sage's own text above to your Sage partner."

MESSAGES: list[Message] = [
    # --- Getting to Sage Data Objects (NOTES §1.2, §1.4) ---
    Message(
        "sage.windows_only",
        "Posting to Sage 50 UK through Sage Data Objects needs Windows; this computer runs {platform}.",
        "Run halo-accounts on the Windows PC or server where Sage 50 Accounts is installed, or use "
        "`halo-accounts export` to write Sage import files (File > Import in Sage).",
    ),
    Message(
        "sage.pywin32_missing",
        "The Windows COM support halo-accounts needs to talk to Sage is not installed.",
        'Install it with: pip install "halo-accounts[windows]" (the same Python that runs halo-accounts).',
    ),
    Message(
        "sage.sdo_missing",
        "Sage Data Objects {progid} is not installed or not registered on this computer ({detail}).",
        "Install Sage 50 Accounts v{version} (or Sage's SDO redistributable for that version) on this PC, and "
        "use a Python with the same bitness (32/64-bit) as Sage. Installed versions found: {installed}. "
        "If Sage is a different version, set [sage50uk] version in the config file.",
    ),
    Message(
        "sage.version_unknown",
        "halo-accounts cannot tell which Sage 50 version to use: none is configured and none was found in the "
        "Windows registry.",
        "Set [sage50uk] version (e.g. 32 for Sage 50 Accounts v32) in the config file, or the Sage 50 version "
        "in Halo (Configuration > Integrations > Sage 50).",
    ),
    Message(
        "sage.data_path_missing",
        "The Sage 50 company data folder (ACCDATA) is not set.",
        "Set [sage50uk] data_path in the config file (e.g. C:\\ProgramData\\Sage\\Accounts\\2026\\Company.000"
        "\\ACCDATA), or the Sage 50 data path in Halo (Configuration > Integrations > Sage 50).",
    ),
    Message(
        "sage.username_missing",
        "No Sage 50 user name is set; Sage would show a login window that nobody can answer.",
        "Create a Sage user just for halo-accounts (Settings > Access Rights in Sage) and set it as "
        "[sage50uk] username in the config file, or as the Sage 50 username in Halo.",
    ),
    Message(
        "sage.password_missing",
        "No password is set for the Sage 50 user {username}; Sage would show a login window that nobody can "
        "answer (and from v23.1 the manager password is mandatory).",
        "Store it with `halo-accounts secret set sage50uk.password` or the environment variable "
        "HALO_ACCOUNTS_SAGE50UK_PASSWORD, or set the Sage 50 password in Halo.",
    ),
    Message(
        "sage.invoice_route_unknown",
        "Halo's Sage 50 UK invoice type setting is {value}, which halo-accounts does not know.",
        "Choose the invoice type in Halo (Configuration > Integrations > Sage 50), or pass one of: {known}.",
    ),
    # --- SDO error codes (NOTES §1.11 "Connection errors") ---
    Message(
        "sage.not_connected",
        "The connection to Sage 50 was lost ({what}).",
        "Check Sage 50 and the Sage Accounts Data Service are running, then run the sync again.",
    ),
    Message(
        "sage.logon_failed",
        "Sage 50 refused the user {username} for the company in {data_path}.",
        "Check the user exists in Sage (Settings > Access Rights) and set it as [sage50uk] username in the config "
        "file or the Sage 50 username in Halo.",
    ),
    Message(
        "sage.logon_password",
        "Sage 50 refused the password for the user {username}.",
        "Set the right password with `halo-accounts secret set sage50uk.password` (or "
        "HALO_ACCOUNTS_SAGE50UK_PASSWORD), or in Halo's Sage 50 settings.",
    ),
    Message(
        "sage.user_in_use",
        "The Sage 50 user {username} is already logged in, so halo-accounts cannot log in as it.",
        "Give halo-accounts a Sage user of its own that people do not use (Settings > Access Rights), or ask "
        "whoever is logged in as {username} to log out (Sage: File > Log Off), then run the sync again. If no one "
        "is, an earlier halo-accounts run was stopped abruptly and Sage still lists its session: have a Sage "
        "administrator clear that user from Sage's list of logged-in users (or restart the Sage Data Service), "
        "then run again.",
    ),
    Message(
        "sage.exclusive_mode",
        "Sage 50 is in exclusive mode (a backup, restore or file maintenance is running), so nobody else can log on.",
        "Wait until the backup or maintenance has finished, then run the sync again.",
    ),
    Message(
        "sage.bad_data_path",
        "{data_path} is not a Sage 50 company data folder.",
        "Point [sage50uk] data_path (or the Sage 50 data path in Halo) at the company's ACCDATA folder: in Sage, "
        "Help > About shows it under Program Details > Data Directory.",
    ),
    Message(
        "sage.wrong_version",
        "The Sage 50 company data in {data_path} is a different version from Sage Data Objects {progid}.",
        "Set [sage50uk] version to the version of Sage 50 that opens this company (Help > About in Sage), or "
        "upgrade the company data in Sage first.",
    ),
    Message(
        "sage.licence_limit",
        "Sage 50 has no free user licence: every allowed user (including integrations) is logged in.",
        "Ask someone to log out of Sage, or run the sync when fewer people use Sage. Sage 50 Accounts allows 6 "
        "connections in all; single-user licences allow none while Sage is open.",
    ),
    Message(
        "sage.integration_not_enabled",
        "Sage 50 refused the connection: third-party integration is not enabled for this company.",
        "In Sage 50 choose Tools > Activation > Enable 3rd Party Integration and enter the SDO serial number and "
        "activation key, then run the sync again.",
    ),
    Message(
        "sage.kicked_out",
        "Sage 50 ended halo-accounts' session (another user or a maintenance task took over).",
        "Run the sync again; nothing already confirmed will be posted twice.",
    ),
    Message(
        "sage.data_service",
        "Sage Data Objects cannot reach the Sage Accounts Data Service for the company in {data_path}.",
        "Start the 'Sage Accounts Data Service' on the computer that holds the Sage data (install it there if "
        "Sage 50 itself is not installed on that server), then run the sync again.",
    ),
    Message(
        "sage.cloud_error",
        "Sage 50 reported a Sage ID / data-service error {sdo_code} ({text}) while {what}.",
        "Check the Sage user is a classic Sage user (dismissed from Sage account e-mail set-up) and that remote "
        "data access is synchronised in Sage. " + _SDO_FIX_LOG,
    ),
    # --- SDO error codes (NOTES §1.11 "Posting and validation errors") ---
    Message(
        "sage.bad_update_mode",
        "Sage refused to save {what}: it was not opened for adding or editing.",
        "This is a halo-accounts bug: please report it with the run's log.",
    ),
    Message(
        "sage.delete_failed",
        "Sage could not delete {what}.",
        "Check nobody has the record open in Sage, then run the sync again.",
    ),
    Message(
        "sage.read_only",
        "The Sage 50 user {username} may only read the company data, so {what} cannot be saved.",
        "Give the user full access in Sage (Settings > Access Rights), then run the sync again.",
    ),
    Message(
        "sage.currency_mismatch",
        "The currency of {what} is not the currency of the Sage customer account.",
        "Change the customer's currency in Sage (Customer Record > Defaults) or the invoice's currency in Halo.",
    ),
    Message(
        "sage.zero_value",
        "Sage refused {what} because its value is zero.",
        "Remove the zero-value invoice in Halo or add a priced line, then run the sync again.",
    ),
    Message(
        "sage.file_busy",
        "Sage 50 is busy: a file is locked by another user or task ({what}).",
        "Wait for the other user or task (reports, backups, Check Data) to finish, then run the sync again.",
    ),
    Message(
        "sage.date_locked",
        "The date of {what} is in a period that is closed in Sage (Lock Date / year end).",
        "Change the invoice date in Halo, or move the lock date in Sage (Settings > Lock Date).",
    ),
    Message(
        "sage.empty_key",
        "Sage refused {what}: its key (account reference or code) is empty or longer than Sage allows.",
        "Use a reference of at most 8 letters and digits (Halo: the client's Accounts ID).",
    ),
    Message(
        "sage.empty_account_ref",
        "{what} has no Sage account reference.",
        "Set the client's Accounts ID in Halo, or let halo-accounts create the Sage customer first.",
    ),
    Message(
        "sage.invalid_nominal",
        "Nominal code {nominal} used by {what} does not exist in Sage.",
        "Create nominal code {nominal} in Sage (Nominal codes > New), or change the item's nominal code in Halo.",
    ),
    Message(
        "sage.account_on_hold",
        "The Sage customer account {account} is on hold, so {what} cannot be posted.",
        "Take the account off hold in Sage (Customer Record > Credit Control) or wait, then run the sync again.",
    ),
    Message(
        "sage.account_ref_spaces",
        "The account reference {account!r} contains spaces, which Sage does not allow.",
        "Change the client's Accounts ID in Halo to letters and digits only (at most 8).",
    ),
    Message(
        "sage.address_too_long",
        "An address line of {what} is longer than Sage allows (60 characters).",
        "Shorten the address line in Halo (client site address).",
    ),
    Message(
        "sage.account_ref_exists",
        "A Sage customer with the account reference {account} already exists.",
        "Set the Halo client's Accounts ID to {account} to link them, or choose another Accounts ID.",
    ),
    Message(
        "sage.account_ref_invalid",
        "The account reference {account!r} is not valid in Sage: use at most 8 letters A-Z and digits 0-9.",
        "Change {field} in Halo (the client's Accounts ID) to letters and digits only, at most 8 characters.",
    ),
    Message(
        "sage.invalid_date",
        "Sage refused the date of {what}.",
        "Check the invoice date in Halo falls in the financial years Sage is set up for (Settings > Financial Year).",
    ),
    Message(
        "sage.nominal_is_control",
        "Nominal code {nominal} used by {what} is a control or bank account, which invoices may not post to.",
        "Use a sales nominal code (e.g. 4000) on the item in Halo, or in Halo's default sales nominal code setting.",
    ),
    Message(
        "sage.invoice_total_negative",
        "The total of {what} is negative; Sage only accepts positive invoice totals.",
        "Raise a credit note in Halo instead of a negative invoice.",
    ),
    Message(
        "sage.sdo_error",
        "Sage 50 reported error {sdo_code} ({text}) while {what}.",
        _SDO_FIX_LOG,
    ),
    # --- Pre-flight checks made by halo-accounts before anything is sent ---
    Message(
        "sage.field_invalid",
        "{what}: {field} {reason} (Sage field {sdo_field}).",
        "Correct {field} in Halo, then run the sync again.",
    ),
    Message(
        "sage.customer_missing",
        "{what} is for the Sage account {account}, which does not exist in Sage.",
        "Sync the customer first (or set the Halo client's Accounts ID to an existing Sage account reference).",
    ),
    Message(
        "sage.tax_code_invalid",
        "{what} uses tax code {tax_code!r}; Sage 50 tax codes are T0 to T99.",
        "Map the Halo tax rate to a Sage tax code (T0-T99) in Halo (Configuration > Finance > Tax Rates).",
    ),
    Message(
        "sage.department_invalid",
        "{what} uses department {department}; Sage 50 departments are 0 to 999.",
        "Set the item's Sage 50 UK department in Halo to a number from 0 to 999.",
    ),
    Message(
        "sage.invoice_number_invalid",
        "Invoice number {number!r} cannot be used as a Sage {route} number: Sage needs a whole number of at most "
        "7 digits.",
        "Use the audit-trail (batch invoice) invoice type in Halo's Sage 50 settings, which keeps any 30-character "
        "reference, or number Halo invoices with digits only.",
    ),
    Message(
        "sage.invoice_number_taken",
        "{what}: Sage already has invoice number {number}, for the account {account}.",
        "Check Sage's invoice list; if that invoice is not this one, renumber the Halo invoice (or Halo's next "
        "invoice number) so the numbers no longer clash.",
    ),
    Message(
        "sage.negative_line",
        "{what} has a line with a negative amount ({amount}); Sage posts only unsigned amounts.",
        "Put the negative amount on a separate credit note in Halo.",
    ),
    Message(
        "sage.invoice_empty",
        "{what} has no lines to post.",
        "Add at least one line to the invoice in Halo.",
    ),
    Message(
        "sage.reference_exhausted",
        "halo-accounts could not find a free Sage account reference for {name} (tried {tried}).",
        "Set the client's Accounts ID in Halo to a free reference of at most 8 letters and digits.",
    ),
    Message(
        "sage.product_exists",
        "A Sage product with the code {stock_code} already exists.",
        "Set the Halo item's Accounts ID to {stock_code} to link them, or choose another Accounts ID.",
    ),
    Message(
        "sage.customer_not_found",
        "The Sage customer {account} was not found, so it cannot be updated.",
        "Check the client's Accounts ID in Halo matches an account reference in Sage.",
    ),
    Message(
        "sage.csv_identifier_too_long",
        "{what}: {field} {value!r} is longer than the {limit} characters Sage's import allows.",
        "Shorten {field} in Halo to at most {limit} characters, then export again.",
    ),
]
