import { SIGNALS_ENVIRONMENT_HELP } from './signalsConfig.js';

/**
 * `sync-doctor-relay --help`: every environment variable the relay reads, with its default. A test
 * (configErrors) checks that each variable the sources read is named here.
 */
export const ENVIRONMENT_HELP = `sync-doctor-relay: receives HubSpot suspension signals, keeps them, and pushes them
into Salesforce.

Usage: sync-doctor-relay [--help | --version]
       sync-doctor-relay backup DIR   copy the SQLite store (and a generated secret.key) of
                                      RELAY_DATA_DIR into the new or empty DIR; safe while the
                                      relay runs. Restore: stop the relay, make DIR its data
                                      directory.
       sync-doctor-relay backup --check DIR [--json]
                                      whether this build restores the copy in DIR whole: its
                                      integrity, schema, and every sealed secret opened with the
                                      key a restore would use (RELAY_SECRET_KEY, else DIR's
                                      secret.key). Reads only; exit 2 when it does not.
       sync-doctor-relay migrations [--json]
                                      before an upgrade: the store's schema version and the
                                      migrations starting this build would apply (after which
                                      older relays refuse the store: back it up first). Reads
                                      only; exit 2 when a newer relay migrated the store.

Environment:
  HOST                      interface to bind (default 127.0.0.1; 0.0.0.0 behind a load balancer)
  PORT                      port (default 8787)
  RELAY_DATA_DIR            data directory for the embedded SQLite store (default ./data)
  DATABASE_URL              postgres://... : use PostgreSQL (needed for several instances)
  DATABASE_SCHEMA           PostgreSQL schema (default public)
  RELAY_ADMIN_TOKEN         bearer token of the admin API (/v1/admin); the admin API is off
                            without it
  RELAY_METRICS_TOKEN       bearer token GET /metrics then asks for (or the admin token), at least
                            16 characters; unset, /metrics (which names every portal) is open to
                            all
  RELAY_SECRET_KEY          32 random bytes, base64 or 64 hex characters (openssl rand -base64 32):
                            encrypts portal secrets (AES-256-GCM). Required with DATABASE_URL;
                            with SQLite one is generated into a data dir without a store (a store
                            without its secret.key is refused: restore it)
  RELAY_PUBLIC_READS        "true": state, history and stream need no admin token (default false)
  RELAY_PUBLIC_URL          the relay's external URL (shown in docs)
  LOG_LEVEL                 pino level (default info)
  RELAY_RATE_LIMIT_IP       requests per minute per client IP (default 600)
  RELAY_RATE_LIMIT_PORTAL   authenticated requests per minute per portal (default 120; unsigned
                            ones count only per IP)
  RELAY_MAX_STREAMS_PER_IP  open event streams (/v1/portals/:id/stream) per client IP (default 20;
                            more answer 429 with Retry-After)
  RELAY_MAX_STREAMS         open event streams on this instance (default 1000; more answer 503)
  RELAY_STREAM_BUFFER_LIMIT bytes a stream's client may leave unread before it is dropped
                            (default 1048576)
  RELAY_TRUST_PROXY         peers whose X-Forwarded-For names the client (per-IP rate limits, logs):
                            addresses/CIDRs or loopback, linklocal, uniquelocal, comma-separated;
                            true; or false (default false: no proxy is trusted; behind a load
                            balancer, name its addresses, e.g. 10.0.4.0/24)
  RELAY_JSON_LIMIT          JSON body limit in bytes (default 65536)
  RELAY_EMAIL_LIMIT         e-mail body limit in bytes (default 5242880)
  RELAY_EMAIL_KEEP          bytes of each e-mail kept for audit (default 262144)
  RELAY_CSV_LIMIT           sync-errors CSV limit in bytes (default 104857600)
  RELAY_SPOOL_LIMIT_MB      MB of signed sync-errors uploads held on disk at once while their
                            signatures are checked; more answer 503 SPOOL_BUSY (default
                            4 x RELAY_CSV_LIMIT; at least RELAY_CSV_LIMIT, so one upload fits)
  RELAY_MAX_EVENT_LOOP_DELAY_MS
                            answer 503 while the event loop lags more (default 1000, 0 = off)
  RELAY_MAX_HEAP_USED_MB    answer 503 while the V8 heap in use is larger (default 0 = off)
  RELAY_MAX_RSS_MB          answer 503 while resident memory is larger (default 0 = off);
                            resident memory is not given back after a burst: set it well above
                            the size after your biggest one, or prefer RELAY_MAX_HEAP_USED_MB
                            (/health/live and /metrics always answer; /health says 503 overloaded)
  RELAY_OUTBOX              "off" disables delivery into Salesforce on this instance (default on)
  RELAY_OUTBOX_POLL_MS      outbox poll interval (default 500)
  RELAY_OUTBOX_LEASE_MS     how long a claimed delivery stays leased (default 30000, at least 2000)
  RELAY_OUTBOX_MAX_ATTEMPTS attempts before a delivery is marked failed (default 12)
  RELAY_RETRY_BASE_MS       first retry delay, doubled per attempt, with jitter (default 1000)
  RELAY_RETRY_MAX_MS        longest retry delay (default 300000; not below RELAY_RETRY_BASE_MS)
  RELAY_OUTBOX_RECOVERY     "off": a portal's newest delivery given up on passing trouble
                            (Salesforce down longer than the retries) stays failed until the
                            portal's next change or POST .../deliveries/retry (default on: one
                            instance checks the org with one GET /limits when due and re-queues
                            it once it answers, with one attempt: failing again, it waits for the
                            next check)
  RELAY_OUTBOX_RECOVERY_FIRST_MS
                            first check after the give-up (default 300000; not above
                            RELAY_OUTBOX_RECOVERY_MAX_MS); then as far apart as the outage has
                            lasted
  RELAY_OUTBOX_RECOVERY_MAX_MS
                            longest wait between two checks (default 3600000)
  RELAY_OUTBOX_RECOVERY_FOR_MS
                            no more checks this long after the first give-up (default
                            259200000, 3 days; 0: none)
  RELAY_INSTANCE_ID         name of this instance in outbox leases (default random)
  RELAY_ALLOW_PRIVATE_TARGETS
                            "true": alert, SMTP, per-portal IMAP and Salesforce destinations may
                            be loopback, private or link-local addresses (default false: https to
                            public addresses only; the shared RELAY_IMAP_* mailbox is the
                            operator's own, not checked)
  HTTPS_PROXY, HTTP_PROXY   http(s)://[user:password@]proxy:port, or socks5:// / socks5h://, for
                            the connections to Salesforce (lower case too; alerts, SMTP and IMAP
                            go direct); a private CA of an https proxy goes in NODE_EXTRA_CA_CERTS
  NO_PROXY                  names, domain suffixes and addresses reached without the proxy
                            (comma-separated; * = all)

Flags ("true"/"false" above, "on"/"off" below) also take on/off, true/false, yes/no, 1/0; anything
else is refused at start.
${SIGNALS_ENVIRONMENT_HELP}`;
