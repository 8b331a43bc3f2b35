"""User-facing messages of the halo area (see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

# Where the user changes an API application's settings in Halo (reference/halo/NOTES.md section 1.1).
_APP_SCREEN = "Configuration > Integrations > Halo API > View Applications > (the application)"

MESSAGES: list[Message] = [
    Message(
        "halo.auth.invalid_client",
        "Halo did not accept the client ID '{client_id}' with the secret that was given (invalid_client).",
        "Copy the Client ID and Secret again from " + _APP_SCREEN + "; set halo.client_id in {config} and the "
        "secret with `halo-accounts secret set halo.client_secret` (or the environment variable "
        "HALO_ACCOUNTS_HALO_CLIENT_SECRET). The application's Authentication Method must be "
        "'Client ID and Secret (Services)'.",
    ),
    Message(
        "halo.auth.invalid_scope",
        "Halo refused to issue a token for the scope '{scope}'.",
        "Set halo.scope in {config} to scopes the application has (usually 'all', or 'all admin' for the first "
        "import of tax rates), or tick them in " + _APP_SCREEN + " > Permissions.",
    ),
    Message(
        "halo.auth.failed",
        "Halo's authorisation server {auth_url} refused the token request (HTTP {status}: {detail}).",
        "Check halo.url, halo.auth_url and halo.tenant in {config} against the API Details panel in Halo "
        "(Configuration > Integrations > Halo API), and the Client ID and Secret in " + _APP_SCREEN + ".",
    ),
    Message(
        "halo.auth.rejected",
        "Halo refused a freshly issued access token for {method} {path}.",
        "Open " + _APP_SCREEN + ": the Login Type must be 'Agent' and the 'Agent to log in as' must be an "
        "active API-only agent. Then run `halo-accounts check`.",
    ),
    Message(
        "halo.tenant_not_found",
        "Halo has no tenant '{tenant}' at {auth_url}.",
        "Copy the Tenant value from Configuration > Integrations > Halo API > API Details into halo.tenant in "
        "{config}; leave halo.tenant empty for a self-hosted Halo.",
    ),
    Message(
        "halo.permission_missing",
        "Halo refused to let the integrator {action}: the API application lacks the permission '{scope}'.",
        "In Halo, open " + _APP_SCREEN + " > Permissions, tick '{scope}' and save. The agent the application "
        "logs in as must also be allowed to {action} (Configuration > Teams & Agents > Agents).",
    ),
    Message(
        "halo.validation",
        "Halo refused to save {entity}: {fields}.",
        "Correct the value Halo names (in Halo, or in the setting or mapping that fills it) and run the sync again; "
        "records before it were saved, nothing is sent twice.",
    ),
    Message(
        "halo.rate_limited",
        "Halo kept answering 'too many requests' (HTTP 429) after {attempts} tries{wait}.",
        "Another program may be using this Halo's API allowance (300 requests per rolling 5 minutes on hosted "
        "Halo): lower halo.requests_per_window in {config} or run the sync later.",
    ),
    Message(
        "halo.unavailable",
        "Could not get an answer from Halo at {url} ({detail}).",
        "Check the network connection and halo.url in {config}; Halo may also be down for maintenance. "
        "Running again is safe.",
    ),
    Message(
        "halo.write_unconfirmed",
        "Halo did not confirm saving {count} {entity} record(s) ({detail}); they may or may not have been saved.",
        "Run the sync again when Halo answers: it reads Halo back before re-sending, so nothing is saved twice.",
    ),
    Message(
        "halo.record_not_found",
        "Halo has no {entity} with id {record_id}.",
        "It may have been deleted in Halo since the last run; run the sync again to refresh the list.",
    ),
    Message(
        "halo.endpoint_not_found",
        "Halo answered 'not found' (HTTP 404) for {url}.",
        "Check halo.url in {config}: it is the Resource Server from Configuration > Integrations > Halo API > "
        "API Details without the trailing /api, e.g. https://yourcompany.halopsa.com.",
    ),
    Message(
        "halo.bad_response",
        "Halo's answer to {method} {path} was not what a Halo API sends ({detail}).",
        "Check halo.url in {config}: it must be your Halo's Resource Server (API Details), not a login or "
        "proxy page. If it is, run `halo-accounts check` and report the output.",
    ),
    Message(
        "halo.http_error",
        "Halo answered HTTP {status} to {method} {path}: {detail}.",
        "Run `halo-accounts check`; if it passes, report this message with the log of the run.",
    ),
    Message(
        "halo.bad_entity",
        "'{entity}' is not a Halo record type the integrator writes.",
        "Use one of: {allowed}.",
    ),
    Message(
        "halo.check.scope_not_requested",
        "The application has the permission '{scope}', but halo.scope ('{requested}') does not ask Halo for it.",
        'Set scope = "{suggested}" in the [halo] section of {config} (or the environment variable '
        "HALO_ACCOUNTS_HALO_SCOPE).",
    ),
    Message(
        "halo.check.missing",
        "{count} Halo permission(s) needed for {ledger} are missing: {scopes}.",
        "In Halo, open " + _APP_SCREEN + " > Permissions, tick them and save; then run `halo-accounts check` again.",
    ),
]
