# rhv-sd import of metadata that breaks the rules create enforces (issue 9):
# each is refused with one clear line (exit 1; the path exit 2), nothing
# comes into the store, and the storage is left as it was.
rhv-dc create Default -q
mkdir "$CASE_TMP/d1"
rhv-sd create d1 --kind nfs --path "$CASE_TMP/d1" -q
rhv-sd remove d1 -q
meta=$CASE_TMP/d1/dom_md/metadata.json
cp "$meta" "$CASE_TMP/good.json"
# edit KEY VALUE: the good metadata with one field changed (name, image_name,
# description, size: JSON values; the image and volume are added here)
edit() {
	python3 - "$CASE_TMP/good.json" "$meta" "$1" "$2" <<'PY'
import json, sys
src, dst, key, value = sys.argv[1:]
m = json.load(open(src))
img = {"id": "0f5c3bbe-1d4a-4a53-9d53-0f6a4c1b2e11", "name": "disk1", "description": "",
       "volumes": [{"id": "1f5c3bbe-1d4a-4a53-9d53-0f6a4c1b2e22", "parent": "", "format": "qcow2",
                    "allocation": "sparse", "size": 1073741824,
                    "path": "images/0f5c3bbe-1d4a-4a53-9d53-0f6a4c1b2e11/1f5c3bbe-1d4a-4a53-9d53-0f6a4c1b2e22"}]}
m["images"] = [img]
raw = "__RAW__"
if key == "name":
    m["name"] = raw
elif key == "image_name":
    img["name"] = raw
elif key == "description":
    img["description"] = raw
elif key == "size":
    img["volumes"][0]["size"] = raw
text = json.dumps(m, ensure_ascii=False, indent=2)
# the value as JSON text, so that sizes beyond 64 bits are written as they are
open(dst, "w").write(text.replace('"__RAW__"', value) if key else text)
PY
}
storage() { sha256sum "$meta" "$CASE_TMP/d1/dom_md/"* | sha256sum | cut -c1-16; }
# refused KEY VALUE: import metadata with that field; the storage must not change
refused() {
	local before
	edit "$1" "$2"
	before=$(storage)
	run rhv-sd import "$CASE_TMP/d1"
	[ "$(storage)" = "$before" ] || echo "the storage changed"
}
refused name '" padded"'
refused name '"padded "'
refused name '"a\u0085b"'
refused name '"a\u2028b"'
refused name '"x\nrhv-sd: error: fake"'
refused name '"012345678901234567890123456789012345678901234567890"'
refused image_name '"disk1\u00a0"'
refused image_name "\"$(printf '%0256d' 0)\""
refused description '"line one\nline two"'
refused size 1
refused size 0
refused size 9223372036854775807
refused size 9223372036854775808
refused size 18446744073709551616
refused size -512
# the path follows create's rules
edit '' ''
before=$(storage)
run rhv-sd import "$CASE_TMP/x/../d1"
run rhv-sd import "$CASE_TMP/d1/"
run rhv-sd import "$CASE_TMP//d1"
run rhv-sd import "$CASE_TMP/./d1"
run rhv-sd import "$CASE_TMP/d1"$'\e[2J'
run rhv-sd import "$CASE_TMP/d1"$'\n'
run rhv-sd import d1
run sql "SELECT (SELECT count(*) FROM storage_domains) || ' domains, ' || (SELECT count(*) FROM disks) || ' disks'"
echo "storage unchanged: $([ "$(storage)" = "$before" ] && echo yes || echo no)"
# the same metadata within the rules comes in, its disk with it
run rhv-sd import "$CASE_TMP/d1"
run rhv-disk list -c name,domain,size
