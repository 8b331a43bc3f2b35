"""User-facing messages of the sync engine, the store and general input (see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

MESSAGES: list[Message] = [
    Message(
        "xml.doctype",
        "The {what} carries a DOCTYPE or entity declaration, which this program refuses to read "
        "(it can be used to read files or reach the network).",
        "If this came from your accounting package, report it; nothing was changed.",
    ),
    Message(
        "xml.malformed",
        "The {what} is not well-formed XML: {detail}.",
        "Nothing was changed. If it came from your accounting package, retry the sync; if it repeats, "
        "run with --log-level debug and send the log to whoever supports your install.",
    ),
    # --- sync.* (sync engine) ---------------------------------------------------------------------
    Message(
        "sync.tax_unmapped",
        "Halo tax rate '{tax_name}' (id {tax_id}) on {record} has no {ledger} tax code.",
        "Map it: halo-accounts map tax {tax_id} {suggestion} ({why}; tax codes in {ledger}: {codes}). Then run "
        "the sync again.",
    ),
    Message(
        "sync.text_shortened",
        "{count} record(s) went to {ledger} with text shortened to fit its fields: {records}.",
        "Nothing is lost in Halo, which keeps the full text. To have {ledger} show it whole, shorten it in Halo "
        "(the next sync updates it).",
    ),
    Message(
        "sync.tax_map_first",
        "The tax map comes first: {count} record(s) wait because Halo tax rates are not mapped to the package's "
        "tax codes, and nothing with such a rate can be posted until they are.",
        "Map each Halo rate with halo-accounts map tax HALO_ID CODE (each held record's fix names the code with "
        "the same rate), then run the sync (or wait for the next Web Connector update). "
        "halo-accounts import tax only adds the codes Halo lacks; it never duplicates a rate Halo has.",
    ),
    Message(
        "sync.tax_map_next",
        "Next: the tax map comes first. No Halo tax rate is mapped to a package tax code yet, so the first sync (or "
        "Web Connector update) would post nothing and hold every invoice.",
        "Run halo-accounts import tax (it adds to Halo only the codes it lacks, links the rates it has by rate and "
        "name, and proposes the rest), or map each rate with halo-accounts map tax HALO_ID CODE; then sync.",
    ),
    Message(
        "sync.tax_missing",
        "A line of {record} has no tax rate.",
        "In Halo, open {record}, give every line a tax rate (or set the item's tax code in Configuration > "
        "Billing > Items), then run the sync again.",
    ),
    Message(
        "sync.tax_code_unknown",
        "Halo tax rate {tax_id} is mapped to {ledger} tax code '{tax_code}', which {ledger} does not have (any more).",
        "Map it to one of {codes}: halo-accounts map tax {tax_id} CODE. Then run the sync again.",
    ),
    Message(
        "sync.nominal_unknown",
        "Nominal code '{nominal}' (from {source}) on {record} is not an account in {ledger}.",
        "Create account '{nominal}' in {ledger}, or change the nominal code in Halo ({where}); then run the sync "
        "again.",
    ),
    Message(
        "sync.nominal_missing",
        "{record} has a line with no nominal code, and Halo has no default sales nominal code.",
        "Set a nominal code on the item (Configuration > Billing > Items) or the default sales nominal code "
        "(Configuration > Billing > General: item_default_sales_nominal_code); then run the sync again.",
    ),
    Message(
        "sync.too_long",
        "{field} of {record} is {length} characters long; {ledger} allows at most {limit}.",
        "Shorten it in Halo ({where}) to {limit} characters or fewer, then run the sync again.",
    ),
    Message(
        "sync.bad_characters",
        "{field} of {record} contains characters {ledger} cannot store: {chars}.",
        "Replace them in Halo ({where}) with plain letters, digits or punctuation, then run the sync again.",
    ),
    Message(
        "sync.empty",
        "{field} of {record} is empty; {ledger} needs it.",
        "Fill it in Halo ({where}), then run the sync again.",
    ),
    Message(
        "sync.customer_unknown_ref",
        "Client '{name}' (Halo id {client_id}) has Accounts ID '{ref}', but {ledger} has no customer with that "
        "reference.",
        "In Halo, open the client and correct its Accounts ID (or clear it so that it is matched by name or "
        "created); then run the sync again.",
    ),
    Message(
        "sync.customer_ambiguous",
        "Client '{name}' (Halo id {client_id}) matches {count} customers in {ledger} by name: {names}.",
        "Put the reference of the right one in the client's Accounts ID in Halo, then run the sync again.",
    ),
    Message(
        "sync.customer_not_ready",
        "The client of {record} ('{name}', Halo id {client_id}) is not in {ledger} yet: {reason}",
        "Fix the client first (see its held entry in halo-accounts status); the invoice goes with the next sync.",
    ),
    Message(
        "sync.item_not_ready",
        "Item '{name}' (Halo id {item_id}) on {record} is not in {ledger} yet: {reason}",
        "Fix the item first (see halo-accounts status), or set its Accounts ID in Halo to a {ledger} item; "
        "then run the sync again.",
    ),
    Message(
        "sync.item_unknown_ref",
        "Item '{name}' (Halo id {item_id}) has Accounts ID '{ref}', but {ledger} has no item with that code.",
        "In Halo (Configuration > Billing > Items) correct the item's Accounts ID, or clear it so that the item is "
        "created in {ledger}; then run the sync again.",
    ),
    Message(
        "sync.invoice_no_lines",
        "{record} has no lines, so there is nothing to post.",
        "Add lines to it in Halo (or void it), then run the sync again.",
    ),
    Message(
        "sync.invoice_number_invalid",
        "Invoice number '{number}' of {record} cannot be used in {ledger}: {rule}.",
        "Either let {ledger} number invoices (turn off 'Use Halo invoice ID for accounts' in Halo, Configuration "
        "> Billing > Accounts: usehaloinvoiceidforaccounts) or change Halo's invoice numbering; then run the "
        "sync again.",
    ),
    Message(
        "sync.ledger_rejected",
        "{ledger} refused {record}: {detail}",
        "Correct the cause in Halo or {ledger}, then try it again: halo-accounts retry {key}",
    ),
    Message(
        "sync.ledger_failed",
        "{ledger} could not take {record} this time: {detail}",
        "Nothing to do: it is tried again with the next sync. If it keeps failing, check {ledger} is open and "
        "not busy (a single-user task, a backup), then run the sync again.",
    ),
    Message(
        "sync.halo_rejected",
        "Halo refused the update of {record}: {detail}",
        "Correct the cause in Halo, then try it again: halo-accounts retry {key}",
    ),
    Message(
        "sync.invoice_drift",
        "{record} was changed in Halo after it was posted to {ledger} as '{number}'; it was not posted again.",
        "Make the same change in {ledger} (or undo it in Halo). Then mark it posted in Halo with: "
        "halo-accounts retry {key}",
    ),
    Message(
        "sync.line_needs_item",
        "Line {line} of {record} has an amount but no item {ledger} can post it under; {ledger} would take it as "
        "a description worth nothing, so the invoice was not posted.",
        "Give the line an item in Halo; or name the {ledger} item that should carry such lines in the "
        "configuration: [sync] catch_all_item = \"Sundry\" (or HALO_ACCOUNTS_SYNC_CATCH_ALL_ITEM). Then run the "
        "sync again.",
    ),
    Message(
        "sync.catch_all_missing",
        "Line {line} of {record} has no item, and the catch-all item '{item}' ([sync] catch_all_item) is not an "
        "item in {ledger}.",
        "Create item '{item}' in {ledger} (a service or other charge item with your sales income account), or "
        "set [sync] catch_all_item to one that exists. Then run the sync again.",
    ),
    Message(
        "sync.total_mismatch",
        "{record} was posted to {ledger} as '{number}', but {ledger} shows total {ledger_total} and tax "
        "{ledger_tax} where Halo has total {halo_total} and tax {halo_tax}. It is not marked posted in Halo.",
        "Correct the document in {ledger} (or the invoice in Halo) so the two agree; it will not be posted again. "
        "Then mark it posted in Halo with: halo-accounts retry {key}",
    ),
    Message(
        "sync.export_total_mismatch",
        "{record} was not written to the import file: its lines add up to total {file_total} and tax {file_tax}, "
        "but Halo has total {halo_total} and tax {halo_tax}.",
        "Correct the invoice in Halo so its lines add up to its total (open it and save it again), then export "
        "again.",
    ),
    Message(
        "sync.credit_invoice_missing",
        "{record} credits Halo invoice {invoice_id}, which is not in {ledger} from this program, so the credit "
        "was not applied to it.",
        "Apply the credit to the invoice by hand in {ledger} if it should be; the credit note itself is posted.",
    ),
    Message(
        "sync.credit_not_applied",
        "{record} is posted, but {ledger} did not apply it to the invoice it credits: {detail}",
        "Apply the credit to the invoice by hand in {ledger}; the credit note itself is posted.",
    ),
    Message(
        "sync.timezone_unknown",
        "'{value}' ({source}) is not a time zone this program knows.",
        "Set [halo] timezone in the configuration (or HALO_ACCOUNTS_HALO_TIMEZONE) to your zone's IANA name, "
        "e.g. \"Europe/London\" or \"America/Toronto\"; then run again.",
    ),
    Message(
        "sync.control_fallback",
        "Halo refused its billing settings (Control) to this application ({detail}); this run used {source}.",
        "To have them read every run, give the API application the admin permission in Halo (Configuration > "
        "Integrations > HaloPSA API > the application > Permissions); or keep [halo.control] in the configuration "
        "up to date when those settings change.",
    ),
    Message(
        "sync.control_config_invalid",
        "[halo.control] {field} in the configuration is not a value Halo's setting can take: {detail}.",
        "Correct it in the [halo.control] table of the configuration file (true/false for on/off settings, a "
        "number for versions), then run again.",
    ),
    Message(
        "sync.control_refused",
        "Halo refused its billing settings (Control) to this application ({detail}), and there is no earlier copy "
        "of them and no [halo.control] in the configuration, so the sync cannot tell how Halo wants invoices sent.",
        "Give the API application the admin permission in Halo once (one run keeps a copy of the settings), or "
        "add a [halo.control] table to the configuration with Halo's settings, e.g. "
        "syncinvoicetoaccountspackagewhenapproved = true, enableinvoiceapprovals = true, "
        "usehaloinvoiceidforaccounts = true; then run again.",
    ),
    Message(
        "sync.skip_status",
        "{record} was not sent: its status in Halo does not allow syncing to third-party integrations.",
        "If it should go, move it to a status that allows syncing (Configuration > Billing > Invoice statuses: "
        "'Allow syncing to 3rd party integrations') in Halo.",
    ),
    Message(
        "sync.skip_not_sent",
        "{record} was not sent: Halo is set to send only invoices it has sent to the customer ({setting}), and "
        "this one has not been sent yet.",
        "Send the invoice from Halo; or untick that setting in Halo's billing settings.",
    ),
    Message(
        "sync.skip_approval_unknown",
        "{record} was not sent: Halo's settings make invoices wait for approval, and Halo did not say whether this "
        "one is approved (even when it was read in full).",
        "Open the invoice in Halo and check its approval; if it keeps happening, check the API application's "
        "permissions to read invoices in full. It will be checked again on the next run.",
    ),
    Message(
        "sync.skip_awaiting_approval",
        "{record} was not sent: invoice approvals are enabled in Halo ({setting}) and it is not approved yet.",
        "Approve it in Halo; it goes on the next run.",
    ),
    Message(
        "sync.skip_excluded",
        "{record} was not sent: its client '{name}' is excluded from invoice sync in Halo.",
        "If it should go, untick 'Exclude from invoice sync' on the client in Halo (excludefrominvoicesync).",
    ),
    Message(
        "sync.skip_unapproved",
        "{record} was not sent: Halo is set to sync invoices once approved, and it is not approved yet.",
        "Approve it in Halo; or untick 'Sync invoices to the accounts package when approved' "
        "(syncinvoicetoaccountspackagewhenapproved) in Halo's billing settings.",
    ),
    Message(
        "sync.skip_voided",
        "{record} was not sent: it is void in Halo.",
        "Nothing to do; void invoices are never posted.",
    ),
    Message(
        "sync.unavailable",
        "The sync stopped before it finished: {detail}",
        "Nothing was half-written; run the sync again when {what} is available. Writes that were in flight are "
        "checked first, so nothing is posted twice.",
    ),
    Message(
        "sync.tax_import_needs_admin",
        "Copying tax rates into Halo needs an API application with the 'admin' permission; this one lacks it.",
        "In Halo, Configuration > Integrations > Halo API > your application > Permissions: tick 'admin' (or "
        "use an application that has it), then run: halo-accounts import tax",
    ),
    Message(
        "sync.map_tax_unknown_halo",
        "Halo has no tax rate with id {tax_id}.",
        "Use one of Halo's tax ids: {ids}.",
    ),
    Message(
        "sync.map_tax_unknown_code",
        "{ledger} has no tax code '{tax_code}'.",
        "Use one of {ledger}'s tax codes: {codes}.",
    ),
    Message(
        "sync.retry_unknown",
        "Nothing is held under '{key}'.",
        "See what is held with: halo-accounts status (keys look like invoice:123 or customer:45).",
    ),
    Message(
        "sync.only_invalid",
        "'{value}' is not a record type the sync knows.",
        "Use one or more of {choices}, separated by commas, e.g. --only customers,invoices",
    ),
    Message(
        "sync.interval_invalid",
        "'{value}' is not an interval.",
        "Give a number with a unit, e.g. 30s, 15m, 2h.",
    ),
    Message(
        "sync.window_invalid",
        "'{value}' is not a time window.",
        "Give start-end in 24-hour time, e.g. 19:00-07:00 (the window may cross midnight).",
    ),
    Message(
        "sync.webconnector_only_in_serve",
        "QuickBooks is reached through the Web Connector here, so the sync runs when the Web Connector calls.",
        "Run halo-accounts serve (and schedule the Web Connector), or set [quickbooks] transport = \"com\" on "
        "the PC where QuickBooks runs.",
    ),
    Message(
        "sync.windows_only",
        "{what} only works on Windows, where {package} is installed.",
        "Run halo-accounts on the Windows PC beside {package}, or use {alternative}.",
    ),
    Message(
        "sync.ledger_kind_unsupported",
        "This install cannot reach {package} yet (the connector is not installed).",
        "Update halo-accounts, or set [ledger] kind to one of {choices} in {path}.",
    ),
    Message(
        "store.corrupt",
        "The store {path} is damaged or is not an SQLite database ({detail}).",
        "Nothing more was written to it. Restore {path} from your backup; or rename it (keep the copy: it holds "
        "the record of what was posted) and run again to start a new store, after checking in your accounts "
        "package which Halo invoices are already there. To use another file, set [store] path in the "
        "configuration file or HALO_ACCOUNTS_STORE_PATH.",
    ),
    Message(
        "store.foreign",
        "{path} is an SQLite database, but not a halo-accounts store.",
        "Nothing was changed in it. Set [store] path in the configuration file (or HALO_ACCOUNTS_STORE_PATH) "
        "to a new file name; halo-accounts creates the store there.",
    ),
    Message(
        "store.too_new",
        "The store {path} was written by a newer version of halo-accounts (store version {found}; this program "
        "reads up to version {supported}).",
        "Nothing was changed. Install the newer halo-accounts that wrote it (or newer), or set [store] path to "
        "another file. Do not edit the store by hand.",
    ),
    Message(
        "store.busy",
        "The store {path} is locked by another halo-accounts process ({detail}).",
        "Wait for the other run (a sync, or the Web Connector service) to finish and try again. If none is "
        "running, check that no other program has the file open.",
    ),
    Message(
        "store.unopenable",
        "The store {path} cannot be opened: {detail}.",
        "Check that its folder exists and that this user may read and write there, or set [store] path in the "
        "configuration file (or HALO_ACCOUNTS_STORE_PATH) to a file in a folder this user owns.",
    ),
    Message(
        "store.readonly",
        "The store {path} is read-only to this user ({detail}).",
        "Run halo-accounts as the user that owns {path}, or give this user write access to the file and its "
        "folder (the -wal and -shm files beside it are written too).",
    ),
    Message(
        "store.disk_full",
        "The disk holding the store {path} is full ({detail}).",
        "The last change was not saved and nothing is half-written. Free some space on that disk and run again.",
    ),
    Message(
        "store.io",
        "The store {path} could not be read or written: {detail}.",
        "Nothing is half-written. Check the disk (and the network share, if {path} is on one: keep the store "
        "on a local disk) and run again.",
    ),
    Message(
        "sync.customer_name_twin",
        "Halo clients '{name}' (id {halo_id}) and '{other_name}' (id {other}) differ only by capitals or spaces; "
        "{ledger} treats such names as the same, so both would be one customer there.",
        "If they are the same customer, merge them in Halo. If not, rename one in Halo so the names differ by more "
        "than capitals or spaces (e.g. add the town: '{name} (Leeds)'); then run the sync again.",
    ),
    Message(
        "store.link_conflict",
        "Halo {kind} {halo_id} and Halo {kind} {other} both point at the same accounts record '{ledger_ref}'.",
        "One of them is a duplicate: in Halo, clear the accounts reference of the wrong one (or merge them), "
        "then run the sync again.",
    ),
    Message(
        "store.export_format",
        "'{fmt}' is not an export format.",
        "Choose one of: {formats}.",
    ),
    Message(
        "store.run_locked",
        "Another halo-accounts run is using this store now (lock file {path}).",
        "Wait for it to finish (a sync, `run`, or the Web Connector service `serve`) and try again. Two runs "
        "at once could post the same invoice twice, so this one did nothing.",
    ),
    Message(
        "sync.map_empty_ref",
        "No {kind} reference was given.",
        "Give the package's name or id of the {kind}, e.g. halo-accounts map customer 12 \"Smith & Jones Ltd\".",
    ),
    Message(
        "sync.map_unknown_halo",
        "Halo has no {what} with id {halo_id}.",
        "Check the id in Halo (it is in the address bar when the {what} is open) and run the command again.",
    ),
    Message(
        "sync.map_unknown_ledger",
        "The accounts package ({package}) has no {what} called or numbered '{ref}'.",
        "Check the exact name (or id) of the {what} in the package, including spaces and punctuation, and run "
        "the command again; to have the sync create it instead, leave the Accounts ID in Halo empty.",
    ),
    Message(
        "sync.skip_exported",
        "{record} was not sent: it is in import batch {batch} (halo-accounts export), which has not been confirmed "
        "as imported yet, so sending it as well could post it twice.",
        "Import batch {batch}'s files into the accounting package, then run `halo-accounts export confirm {batch}`; "
        "the invoice is then marked posted in Halo and no sync sends it again.",
    ),
    Message(
        "sync.export_batch_unknown",
        "There is no export batch {batch} in this store (batches: {known}).",
        "Use a batch number shown by `halo-accounts export list`, run with the same configuration (and so the "
        "same store) as the export.",
    ),
    Message(
        "sync.export_batch_incomplete",
        "Export batch {batch} did not finish (its state is '{status}'), so its files are not complete and "
        "must not be imported.",
        "Do not import anything from its folder (batch-{batch}.partial). Run `halo-accounts {command} --out "
        "FOLDER` again: the invoices it held were not recorded as exported and go into a new batch; import and "
        "confirm that one.",
    ),
    Message(
        "sync.file_export_unsupported",
        "{package} has no import files this program can write.",
        "Use one of: {choices} (`halo-accounts export KIND --out FOLDER`), or connect to the package directly.",
    ),
    Message(
        "sync.preview_no_snapshot",
        "There is nothing to preview from yet: no run has read the accounting package's lists (tax codes, accounts, "
        "customers, items).",
        "Let one update run (for QuickBooks, the Web Connector's next update through halo-accounts serve), then "
        "preview again.",
    ),
    Message(
        "sync.preview_only",
        "A preview cannot write to the accounting package.",
        "Run the sync itself (or, for QuickBooks, let the Web Connector's next update run) to post.",
    ),
    Message(
        "sync.awaiting_review",
        "{record} was not sent: this install posts only what was approved in the console's preview "
        "([sync] review_first = true).",
        "Open the console's Preview page, tick it and press 'Approve', or set [sync] review_first = false.",
    ),
]
