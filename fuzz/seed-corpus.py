#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the repository's real payloads (tests/fixtures and its
corpus), cut down so that the fuzzer mutates structure rather than bulk: JSON lists keep their
first three items and strings their first 200 characters; feeds keep their first three
entries. A file that is not UTF-8 JSON or a feed (the UTF-16 AWS document) is kept whole.
Run once; the fuzz runs then grow each corpus, and `cargo fuzz cmin` keeps it minimal."""

import gzip, hashlib, json, pathlib, re

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
OUT = ROOT / "fuzz" / "corpus"

def cut(value):
    if isinstance(value, list):
        return [cut(v) for v in value[:3]]
    if isinstance(value, dict):
        return {k: cut(v) for k, v in value.items()}
    if isinstance(value, str):
        return value[:200]
    return value

def feed(text):
    for tag in ("entry", "item"):
        parts = re.split(rf"(?=<{tag}[\s>])", text)
        if len(parts) > 4:
            tail = text[text.rfind(f"</{tag}>") + len(f"</{tag}>"):]
            kept = "".join(parts[:4])
            kept = kept[: kept.rfind(f"</{tag}>") + len(f"</{tag}>")]
            return kept + tail
    return text

def seed(target, path):
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8")
        try:
            raw = json.dumps(cut(json.loads(text)), ensure_ascii=False).encode()
        except json.JSONDecodeError:
            raw = feed(text).encode()
    except UnicodeDecodeError:
        pass
    out = OUT / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(raw).hexdigest()).write_bytes(raw)

def files(*globs):
    for pattern in globs:
        yield from sorted(FIX.glob(pattern))

READERS = {
    "read_statuspage": ["atlassian-statuspage/*.json", "corpus/statuspage/*.json"],
    "read_incidentio": ["incidentio/*.json"],
    "read_instatus": ["instatus/*.json"],
    "read_betterstack": ["betterstack/*.json"],
    "read_statusio": ["statusio/*.json"],
    "read_checkly": ["checkly/*.json"],
    "read_cachet": ["cachet/*.json"],
    "read_slack": ["slack/*.json", "corpus/slack/*.json"],
    "read_heroku": ["heroku/*.json"],
    "read_aws": ["aws/*.json", "corpus/aws/*"],
    "read_azure": ["azure/*.xml"],
    "read_gcp": ["gcp/*.gz", "corpus/gcp/*.json"],
    "read_feed": ["atlassian-statuspage/*.atom", "atlassian-statuspage/*.rss",
                  "corpus/statuspage/*.atom", "corpus/statuspage/*.rss", "corpus/rss/*",
                  "corpus/aws/*", "azure/*.xml"],
}

for target, globs in READERS.items():
    for path in files(*globs):
        seed(target, path)
        seed("detect_content", path)
for path in files("html/*"):
    seed("detect_content", path)

def text_seed(target, text):
    out = OUT / target
    out.mkdir(parents=True, exist_ok=True)
    raw = text.encode()
    (out / hashlib.sha1(raw).hexdigest()).write_bytes(raw)

# Update bodies as vendors write them, from the Statuspage payloads.
for path in files("atlassian-statuspage/*.json", "corpus/statuspage/*.json"):
    try:
        data = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError):
        continue
    for incident in (data.get("incidents") or [data.get("incident") or {}])[:3]:
        for update in (incident.get("incident_updates") or [])[:2]:
            text_seed("markup", update.get("body") or "")
text_seed("markup", "## Root cause\n\nA **bad** deploy. [details](https://example.com) <script>x</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |")

for url in ["https://www.githubstatus.com/", "https://status.openai.com", "http://127.0.0.1:8080/x",
            "https://hooks.slack.com/services/T000/B000/XXXX",
            "https://discord.com/api/webhooks/123/abc",
            "https://prod-00.westus.logic.azure.com:443/workflows/x/triggers/manual/paths/invoke?api-version=2016-06-01&sig=y",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "ada@example.com"]:
    text_seed("urls", url)

for form in ["csrf_token=x&email=ada%40example.com&password=correct+horse&workspace=Acme",
             "name=Ops&severity=major&severity=minor&event=opened&postmortems=on&page_health=on",
             "reminder=1440&reminder=60&time_zone=Europe%2FParis&month=2026-12",
             "role=admin&provider=github&url=https%3A%2F%2Fstatus.example.com",
             "10.0.0.0/8,192.0.2.7,2001:db8::/32"]:
    text_seed("web_forms", form)
