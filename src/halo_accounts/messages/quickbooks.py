"""User-facing messages of the quickbooks area (see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

_STATUS_FIX_SUPPORT = (
    "If it keeps happening, send the sync log (it holds the request and QuickBooks' answer) to support."
)

MESSAGES: list[Message] = [
    # qbXML status codes (qbxml/NOTES.md §3.7)
    Message("qb.status.name_in_use",
            "QuickBooks refused {record}: the name is already used by another customer, vendor, employee or "
            "other name (QuickBooks names must be unique across all of them). QuickBooks said: {detail}",
            "Rename the client or item in Halo, or rename/merge the existing entry in QuickBooks; to use the "
            "existing QuickBooks entry, link it with `halo-accounts map customer` (or `map item`)."),
    Message("qb.status.not_found",
            "QuickBooks could not find an object named in the {request} for {record}. QuickBooks said: {detail}",
            "The linked QuickBooks record was probably deleted or made inactive. Re-link it with "
            "`halo-accounts map customer` / `map item`, or clear the link in Halo so it is created again."),
    Message("qb.status.invalid_reference",
            "QuickBooks refused {record}: it refers to a customer, item, account, tax code or parent that "
            "QuickBooks does not have. QuickBooks said: {detail}",
            "Check the mapping named in the message (tax code, nominal code/income account, item, client); "
            "create it in QuickBooks or change the mapping with `halo-accounts map ...`, then run again."),
    Message("qb.status.stale",
            "{record} was changed in QuickBooks while the sync was updating it (its edit sequence is out of "
            "date). QuickBooks said: {detail}",
            "Nothing to do: the next run reads the record again and re-applies the change. If this repeats, ask "
            "QuickBooks users not to edit this record during a sync."),
    Message("qb.status.locked",
            "QuickBooks could not save {record} because the record or its list is in use by another user. "
            "QuickBooks said: {detail}",
            "Close the record (or the list window) in QuickBooks on every PC; the record is tried again next run."),
    Message("qb.status.not_processed",
            "QuickBooks did not process {record} because an earlier request in the same batch failed.",
            "Nothing to do: it is sent again next run. Fix the earlier error shown in this run first."),
    Message("qb.status.feature",
            "QuickBooks refused {record}: a feature it needs is turned off or not available in this edition "
            "of QuickBooks. QuickBooks said: {detail}",
            "Turn the feature on in QuickBooks (Edit > Preferences: e.g. Sales Tax, Multiple Currencies, Class "
            "tracking), or stop sending that field from Halo; then run again."),
    Message("qb.status.permission",
            "The QuickBooks user the sync logs in as does not have permission for this {request}. QuickBooks "
            "said: {detail}",
            "In QuickBooks (Company > Users > Set Up Users and Roles) give that user access to customers, items, "
            "invoices and payments, then run again."),
    Message("qb.status.app_permission",
            "QuickBooks has not given halo-accounts permission to do this {request}. QuickBooks said: {detail}",
            "In QuickBooks, as Admin, open Edit > Preferences > Integrated Applications > Company Preferences, "
            "select halo-accounts, click Properties and allow access (and 'login automatically' for unattended "
            "runs); then run again."),
    Message("qb.status.invalid_id",
            "QuickBooks refused {record}: an id in the {request} is not valid. QuickBooks said: {detail}",
            "The link between Halo and QuickBooks for this record is wrong; re-link it with `halo-accounts map`."),
    Message("qb.status.invalid_value",
            "QuickBooks refused {record}: a field has a value it does not accept. QuickBooks said: {detail}",
            "Correct the value named in the message on the Halo record (or in QuickBooks), then run again."),
    Message("qb.status.missing_element",
            "QuickBooks refused {record}: a required field is missing. QuickBooks said: {detail}",
            "Fill in the field named in the message on the Halo record, then run again."),
    Message("qb.status.closing_date",
            "QuickBooks refused {record}: its date is on or before the company's closing date. QuickBooks "
            "said: {detail}",
            "Change the invoice date in Halo, or move the closing date in QuickBooks (Edit > Preferences > "
            "Accounting > Company Preferences > Set Date/Password)."),
    Message("qb.status.unsupported",
            "This QuickBooks does not support the {request} (status {status}). QuickBooks said: {detail}",
            "Use QuickBooks Desktop 2014 or later (Pro, Premier, Accountant or Enterprise); if you do, "
            + _STATUS_FIX_SUPPORT),
    Message("qb.status.request_id",
            "QuickBooks refused the request id of a {request} (status {status}): {detail}",
            "This is a fault in halo-accounts. " + _STATUS_FIX_SUPPORT),
    Message("qb.status.internal",
            "QuickBooks reported an internal error while processing the {request}: {detail}",
            "Run again later; if it repeats, restart QuickBooks and run Verify Data (File > Utilities)."),
    Message("qb.status.unavailable",
            "QuickBooks is not available to process requests right now: {detail}",
            "Make sure QuickBooks is running with the company file open (or the Web Connector can open it), then "
            "run again."),
    Message("qb.status.general",
            "QuickBooks could not process the {request} (status {status}): {detail}",
            "Run again later. " + _STATUS_FIX_SUPPORT),
    Message("qb.status.rejected",
            "QuickBooks refused {record} (status {status}): {detail}",
            "Correct what the QuickBooks message names on the Halo record, then run again. " + _STATUS_FIX_SUPPORT),
    # Text that QuickBooks accepts (qbxml/NOTES.md §3.2, §4)
    Message("qb.text.too_long",
            "The {field} of {record} is {length} characters; QuickBooks ({edition}) allows at most {limit} "
            "({qb_field}): \"{value}\".",
            "Shorten the {field} in Halo to {limit} characters or fewer, then run again."),
    Message("qb.text.address_too_long",
            "The address of {record} does not fit QuickBooks' {lines} address lines of {limit} characters.",
            "Shorten the address lines of the site in Halo (or combine short lines), then run again."),
    Message("qb.text.empty",
            "{record} has no {field} that QuickBooks can store (it is empty or only has characters QuickBooks "
            "cannot keep).",
            "Enter a {field} in Halo using letters, digits or punctuation, then run again."),
    Message("qb.number.too_large",
            "The {field} of {record} ({value}) is not a number QuickBooks can store (at most {digits} digits "
            "before the decimal point).",
            "Correct the {field} on the record in Halo, then run again."),
    # Records
    Message("qb.customer.no_ref",
            "Customer {name!r} cannot be updated: it is not linked to a QuickBooks customer (no ListID/edit "
            "sequence).",
            "Link the Halo client to its QuickBooks customer with `halo-accounts map customer`, or let the sync "
            "create it."),
    Message("qb.product.kind",
            "Item {item!r} is a {kind} item; halo-accounts only creates service, non-inventory and other-charge "
            "items in QuickBooks.",
            "Create the item in QuickBooks yourself (as an inventory item) and link it with `halo-accounts map "
            "item`, or change the item type in Halo."),
    Message("qb.product.no_account",
            "Item {item!r} has no income account, which QuickBooks needs to create it.",
            "Set the nominal code on the Halo item (or a default income account in the quickbooks settings) to "
            "a QuickBooks income account, then run again."),
    Message("qb.invoice.no_lines",
            "{record} has no lines; QuickBooks needs at least one line on a credit memo.",
            "Add a line to the credit note in Halo, or exclude it from the sync."),
    Message("qb.invoice.line_without_item",
            "Line {line} of {record} has an amount but no QuickBooks item; QuickBooks would keep it as a "
            "description worth nothing, so it was not sent.",
            "Give the line an item in Halo, or set [sync] catch_all_item to the QuickBooks item that should carry "
            "such lines. Then run the sync again."),
    Message("qb.credit.not_found",
            "QuickBooks no longer has the documents of {record}: the credit could not be applied.",
            "Apply the credit note to the invoice by hand in QuickBooks (Customers > Receive Payments > "
            "Discounts and Credits), or check that neither was deleted."),
    Message("qb.tax.us_one_rate",
            "{record} uses more than one sales tax rate ({rates}); a US QuickBooks invoice has one sales tax "
            "item per invoice.",
            "Use one tax rate on every taxable line of the invoice in Halo (or a combined sales tax group in "
            "QuickBooks mapped with `halo-accounts map tax`), then run again."),
    Message("qb.tax.unknown",
            "Tax code {tax!r} used by {record} is not a QuickBooks sales tax code or sales tax item.",
            "Map the Halo tax rate to a QuickBooks sales tax code with `halo-accounts map tax`, then run again."),
    # Versions, editions, responses
    Message("qb.version.too_old",
            "This QuickBooks supports qbXML up to {reported}; halo-accounts needs qbXML {needed} (QuickBooks "
            "Desktop 2014 or later).",
            "Update QuickBooks Desktop to 2014 or later (Help > Update QuickBooks Desktop), then run again."),
    Message("qb.edition.unknown",
            "Could not tell which edition of QuickBooks (US, UK, Canada, Australia) is running: it reported "
            "country {country!r} and product {product!r}.",
            "Set `edition` in the [quickbooks] section of the settings to US, UK, CA or AU."),
    Message("qb.edition.mismatch",
            "The settings say the QuickBooks edition is {configured}, but QuickBooks reports {reported}.",
            "Correct (or remove) `edition` in the [quickbooks] section of the settings."),
    Message("qb.response.unreadable",
            "QuickBooks' answer could not be read: {detail}",
            "Run again; if it repeats, restart QuickBooks and the Web Connector. Records sent in this batch are "
            "looked up in QuickBooks before anything is sent again."),
    Message("qb.query.too_dense",
            "QuickBooks holds more than {count} {what} changed within {seconds} seconds of {when}; without "
            "iterators (this edition of QuickBooks) halo-accounts reads them by date windows and cannot split "
            "this one further, so it stopped rather than skip any.",
            "Nothing was skipped or changed. " + _STATUS_FIX_SUPPORT),
    Message("qb.response.missing",
            "QuickBooks' answer did not include a reply for {record} ({request}).",
            "Nothing to do: the record is looked up in QuickBooks on the next run before it is sent again."),
]
