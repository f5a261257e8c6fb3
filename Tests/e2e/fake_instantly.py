"""A fake Instantly (API V2, as its published API reference describes it) on loopback, for the
browser suite and bench/export: bearer key, accounts, campaigns (search by name, create, activate),
`leads/add` with `skip_if_in_campaign`, `leads/list`; every lead it receives is counted, and every
answer can wait `latency` seconds first."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote



# The enum of `campaign_schedule.schedules[].timezone` in Instantly's published API v2 schema: any
# other name is refused with a 400, as Instantly does.
ACCEPTED_TIMEZONES = frozenset("""
Etc/GMT+12 Etc/GMT+11 Etc/GMT+10 America/Anchorage America/Dawson America/Creston America/Chihuahua America/Boise America/Belize
America/Chicago America/Bahia_Banderas America/Regina America/Bogota America/Detroit America/Indiana/Marengo America/Caracas
America/Asuncion America/Glace_Bay America/Campo_Grande America/Anguilla America/Santiago America/St_Johns America/Sao_Paulo
America/Argentina/La_Rioja America/Araguaina America/Godthab America/Montevideo America/Bahia America/Noronha America/Scoresbysund
Atlantic/Cape_Verde Africa/Casablanca America/Danmarkshavn Europe/Isle_of_Man Atlantic/Canary Africa/Abidjan Arctic/Longyearbyen
Europe/Belgrade Africa/Ceuta Europe/Sarajevo Africa/Algiers Africa/Windhoek Asia/Nicosia Asia/Beirut Africa/Cairo Asia/Damascus
Europe/Bucharest Africa/Blantyre Europe/Helsinki Europe/Istanbul Asia/Jerusalem Africa/Tripoli Asia/Amman Asia/Baghdad
Europe/Kaliningrad Asia/Aden Africa/Addis_Ababa Europe/Kirov Europe/Astrakhan Asia/Tehran Asia/Dubai Asia/Baku Indian/Mahe
Asia/Tbilisi Asia/Yerevan Asia/Kabul Antarctica/Mawson Asia/Yekaterinburg Asia/Karachi Asia/Kolkata Asia/Colombo Asia/Kathmandu
Antarctica/Vostok Asia/Dhaka Asia/Rangoon Antarctica/Davis Asia/Novokuznetsk Asia/Hong_Kong Asia/Krasnoyarsk Asia/Brunei
Australia/Perth Asia/Taipei Asia/Choibalsan Asia/Irkutsk Asia/Dili Asia/Pyongyang Australia/Adelaide Australia/Darwin
Australia/Brisbane Australia/Melbourne Antarctica/DumontDUrville Australia/Currie Asia/Chita Antarctica/Macquarie Asia/Sakhalin
Pacific/Auckland Etc/GMT-12 Pacific/Fiji Asia/Anadyr Asia/Kamchatka Etc/GMT-13 Pacific/Apia
""".split())
assert len(ACCEPTED_TIMEZONES) == 102

class FakeInstantly:
    """Starts on a free loopback port; `base` is its URL, `received` how often each address came."""

    def __init__(self, key, latency=0.0, accounts=("hannah@northwind.example",)):
        self.key = key
        self.latency = latency
        self.accounts = list(accounts)
        self.lock = threading.Lock()
        self.campaigns = {}  # id -> {"name", "status", "leads": {email: id}}
        self.received = {}   # email -> times sent in leads/add
        self.requests = 0
        self.add_times = []  # time.monotonic() of every leads/add call
        self.next_id = 1
        self.server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def new_id(self, prefix):
        self.next_id += 1
        return f"{prefix}-{self.next_id}"

    def answer(self, method, path, query, body):
        """(status, JSON body) for one request, under the lock."""
        if path == "/api/v2/accounts":
            return 200, {"items": [{"email": a, "status": 1} for a in self.accounts], "next_starting_after": None}
        if path == "/api/v2/campaigns" and method == "GET":
            search = unquote(query.get("search", ""))
            return 200, {"items": [{"id": i, "name": c["name"], "status": c["status"]} for i, c in self.campaigns.items() if search in c["name"]]}
        if path == "/api/v2/campaigns":
            if "name" not in body or "campaign_schedule" not in body:
                return 400, {"statusCode": 400, "error": "Bad Request", "message": "name and campaign_schedule are required"}
            zones = [s.get("timezone") for s in body["campaign_schedule"].get("schedules", [])]
            if not zones or any(zone not in ACCEPTED_TIMEZONES for zone in zones):
                return 400, {"statusCode": 400, "error": "Bad Request",
                             "message": "body/campaign_schedule/schedules/0/timezone must be equal to one of the allowed values"}
            cid = self.new_id("cmp")
            self.campaigns[cid] = {"name": body["name"], "status": 0, "leads": {}}
            return 200, {"id": cid, "name": body["name"], "status": 0}
        if path == "/api/v2/leads/add":
            self.add_times.append(time.monotonic())
            campaign = self.campaigns.get(body.get("campaign_id"))
            if campaign is None:
                return 404, {"statusCode": 404, "error": "Not Found", "message": "campaign not found"}
            created = []
            for lead in body.get("leads", []):
                email = lead["email"].lower()
                self.received[email] = self.received.get(email, 0) + 1
                if email in campaign["leads"]:
                    continue
                campaign["leads"][email] = self.new_id("lead")
                created.append({"id": campaign["leads"][email], "email": email})
            return 200, {"leads_uploaded": len(created), "skipped_count": len(body.get("leads", [])) - len(created), "created_leads": created}
        if path == "/api/v2/leads/list":
            campaign = self.campaigns.get(body.get("campaign"), {"leads": {}})
            wanted = set(e.lower() for e in body.get("contacts", []))
            if wanted:
                items = [{"id": i, "email": e} for e, i in campaign["leads"].items() if e in wanted]
                return 200, {"items": items, "next_starting_after": None}
            # The whole campaign, a page at a time from `starting_after`, each Lead with its state.
            if len(campaign.get("order", [])) != len(campaign["leads"]):
                campaign["order"] = list(campaign["leads"])
                campaign["index"] = {campaign["leads"][e]: n for n, e in enumerate(campaign["order"])}
            order, index = campaign.get("order", []), campaign.get("index", {})
            if int(body.get("limit", 100)) > 100:
                return 400, {"statusCode": 400, "error": "Bad Request", "message": "body/limit must be <= 100"}
            cursor = body.get("starting_after")
            start = index[cursor] + 1 if cursor in index else 0
            page = order[start:start + int(body.get("limit", 100))]
            states = campaign.get("states", {})
            items = [dict(states.get(e, {}), id=campaign["leads"][e], email=e, campaign=body.get("campaign")) for e in page]
            return 200, {"items": items, "next_starting_after": campaign["leads"][page[-1]] if page else None}
        if path.startswith("/api/v2/campaigns/") and path.endswith("/activate"):
            campaign = self.campaigns.get(path.split("/")[4])
            if campaign is None:
                return 404, {"statusCode": 404, "message": "campaign not found"}
            campaign["status"] = 1
            return 200, {"status": 1}
        return 404, {"statusCode": 404, "error": "Not Found", "message": f"no route {path}"}


class _QuietServer(ThreadingHTTPServer):
    """A client that goes away mid-request (an exporter killed on purpose) is not an error here."""

    def handle_error(self, request, client_address):
        pass


def _handler(fake):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no ~40 ms wait for a delayed ACK

        def log_message(self, *args):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            if fake.latency:
                time.sleep(fake.latency)
            path, _, query = self.path.partition("?")
            params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
            with fake.lock:
                fake.requests += 1
                if self.headers.get("Authorization") != f"Bearer {fake.key}":
                    status, answer = 401, {"statusCode": 401, "error": "Unauthorized", "message": "Invalid API key"}
                else:
                    status, answer = fake.answer(self.command, path, params, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = handle_any
        do_POST = handle_any
    return Handler
