"""User-facing messages of the Sage 50 Canada connector (merged into the one catalogue, `halo_accounts.messages`)."""

from halo_accounts.messages import Message

_RIGHTS = ("In Sage 50 (Setup > Set Up Users), give the user {user} 'Read and write data' under Rights with "
           "Third-Party Products, and full accounting rights.")

MESSAGES: tuple[Message, ...] = (
    Message("sage50ca.company_path_missing", "No Sage 50 Canada company file is set.",
            "Set [sage50ca] company_path to the company's .SAI file (e.g. C:\\Sage\\Company\\Universal.SAI), or "
            "the Sage 50 Canada company path in Halo's accounts settings."),
    Message("sage50ca.username_missing", "No Sage 50 Canada user is set.",
            "Set [sage50ca] username (or the Sage 50 Canada username in Halo) to a user kept for this program."),
    Message("sage50ca.sdk_missing", "The Sage 50 Accounting SDK could not be loaded: {detail}.",
            "Install the Sage 50 Accounting SDK (it puts Sage_SA.SDK.dll under Program Files (x86)), install "
            "halo-accounts with the [windows] extra in a 32-bit Python, or set [sage50ca] sdk_path to the folder "
            "holding Sage_SA.SDK.dll. Without it, use `halo-accounts export sage50ca --out FOLDER`."),
    Message("sage50ca.open_path", "Sage 50 cannot find the company file {path} ({result}).",
            "Check [sage50ca] company_path: the .SAI file, with its .SAJ folder beside it, reachable from this PC."),
    Message("sage50ca.open_login", "Sage 50 refused the user {user} for {path} ({result}).",
            "Check the user name, and store its password with `halo-accounts secret set sage50ca.password` (or "
            "HALO_ACCOUNTS_SAGE50CA_PASSWORD)."),
    Message("sage50ca.open_rights", "Sage 50 refused third-party access for the user {user} ({result}).", _RIGHTS),
    Message("sage50ca.open_single_user", "The company {path} is open in Sage 50 in single-user mode ({result}).",
            "Close the company in Sage 50 while the sync runs, or switch it to multi-user mode (File > Switch to "
            "Multi-user Mode) and keep [sage50ca] multi_user = true."),
    Message("sage50ca.open_version", "This Sage 50 Accounting SDK does not match the company's version ({result}).",
            "Install the SDK of the same release as Sage 50 on this PC (Help > About Sage 50), then run again."),
    Message("sage50ca.open_service", "The Sage 50 database service is not running ({result}).",
            "Start Sage 50 Connection Manager (Windows Services: 'Sage 50 Connection Manager' and its MySQL "
            "service), or restart the PC that holds the company, then run again."),
    Message("sage50ca.open_busy", "Another company is already open through the SDK in this program ({result}).",
            "Run one sync at a time per company; if nothing else runs, restart halo-accounts."),
    Message("sage50ca.open_failed", "Sage 50 did not open {path}: {result}.",
            "Open the company in Sage 50 with the same user to see Sage's own message, fix it there, then run "
            "again."),
    Message("sage50ca.no_access", "Sage 50 did not let the user {user} change data: {detail}.", _RIGHTS),
    Message("sage50ca.connection_lost", "The connection to Sage 50 was lost while {what}: {detail}.",
            "Check that Sage 50 and its Connection Manager are running, then run again: what was sent is looked "
            "up before anything is sent again."),
    Message("sage50ca.rejected", "Sage 50 refused {what}: {detail}.",
            "Correct the record in Halo (or the setting Sage names) and run again."),
    Message("sage50ca.alert", "Sage 50 asked \"{text}\" while {what}; the question was answered no, so nothing was "
            "changed.", "Do what Sage asks in Sage 50 itself (or correct the record in Halo), then run again."),
    Message("sage50ca.customer_missing", "{what} is for the customer '{name}', which is not in Sage 50.",
            "Sync customers first (halo-accounts sync --only customers), or set the client's accounts reference in "
            "Halo to the Sage 50 customer name."),
    Message("sage50ca.account_length", "{what}: account {account} is not {length} digits long, as the company's "
            "accounts are.", "Set the nominal code in Halo to the Sage 50 account number (Setup > Settings > "
            "General > Numbering shows the length), then run again."),
    Message("sage50ca.amounts_differ", "{what} was not posted: Sage 50 works out total {sage_total} and tax "
            "{sage_tax} from its tax codes, where Halo has total {halo_total} and tax {halo_tax}.",
            "Check the tax code mapping (halo-accounts map tax) so each Halo rate goes to the Sage code with the "
            "same taxes, or correct the invoice in Halo; then run again."),
    Message("sage50ca.posted_unconfirmed", "{what}: Sage 50 answered that the posting failed, but its journal "
            "number moved on, so it was posted; it was not posted again.",
            "Nothing to do; check the entry in Sage 50 if in doubt."),
    Message("sage50ca.imp_too_long", "{what}: {field} '{value}' is longer than the {limit} characters Sage's "
            "import file allows.", "Shorten {field} in Halo to at most {limit} characters, then export again."),
    Message("sage50ca.imp_currency", "{what} is in {currency}; Sage 50 imports transactions in the home currency "
            "only.", "Post it by hand in Sage 50, or connect through the SDK."),
    Message("sage50ca.imp_tax", "{what}: line {line} has tax code '{tax_code}', which the import file cannot describe "
            "(no Halo tax rate with that code).", "Map the Halo tax rate to a Sage code (halo-accounts map tax), "
            "then export again."),
    Message("sage50ca.imp_item_missing", "{what} names the item '{item}', which is not in Sage 50 yet; an import "
            "file cannot create items.", "Create the item in Sage 50 (Inventory & Services) and set its number as "
            "the item's accounts code in Halo, or set [sync] catch_all_item; then export again."),
)
