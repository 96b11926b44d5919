#!/usr/bin/env python3
"""Drive rhv-snap operations on VM 'v' (disks v-os, v-data) and kill each one
with SIGKILL at a random moment, then run `rhv-snap resume` and check what
must hold (see lab-crash.sh).  A model of the data follows what the store
says came of each operation.  Usage: crash-driver.py DOMAIN_ROOT N_OPS.
Prints only what does not depend on timing; every broken rule is printed
with the operation that broke it."""
import json
import os
import random
import signal
import subprocess
import sys
import time

ROOT, NOPS = sys.argv[1], int(sys.argv[2])
DISKS = ("v-os", "v-data")
MIBS = 4
rng = random.Random(12)
problems = []


def sh(*args, check=True):
    r = subprocess.run(args, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def js(*args):
    return json.loads(sh(*args, "-o", "json").stdout)


def vm_state():
    return sh("rhv-vm", "show", "v", "-o", "tsv", "-H", "-c", "state").stdout.strip()


def disk(name):
    return js("rhv-disk", "show", name, "-c", "all")["disk"]


def snaps():
    return js("rhv-snap", "list", "v")["snapshots"]


def meta():
    with open(os.path.join(ROOT, "dom_md", "metadata.json")) as f:
        return json.load(f)


# ---- the model: what each MiB of each disk holds (0: never written) ----
state = {d: [0] * MIBS for d in DISKS}
model = {}            # snapshot id -> {disk: [patterns]}
aside = None          # during a preview: the state kept aside
pattern = 0


def write_all():
    """Write a new pattern into a random MiB of each disk, the VM down."""
    global pattern
    for d in DISKS:
        pattern = pattern % 250 + 1
        k = rng.randrange(MIBS)
        info = disk(d)
        sh("qemu-io", "-f", info["format"], "-c", f"write -P {pattern} {k * 1048576} 1M", info["path"])
        state[d][k] = pattern


def reads(path, fmt, expected):
    cmds = []
    for k, p in enumerate(expected):
        cmds += ["-c", f"read -P {p} {k * 1048576} 1M"]
    r = sh("qemu-io", "-U", "-r", "-f", fmt, *cmds, path, check=False)
    return r.returncode == 0 and "Pattern verification failed" not in r.stdout + r.stderr


def check(what):
    """Every rule after one operation and its recovery."""
    before = len(problems)
    m = meta()
    vols = {}
    for img in m["images"]:
        for v in img["volumes"]:
            vols[v["id"]] = (img["id"], v)
    for s in snaps():
        if s["status"] not in ("OK", "InPreview"):
            problems.append(f"{what}: snapshot {s['id']} is {s['status']} after resume")
    for d in DISKS:
        info = disk(d)
        if info["status"] != "OK":
            problems.append(f"{what}: disk {d} is {info['status']} after resume")
        img = info["id"]
        chains = set()
        for top in filter(None, [info["volume_id"], info.get("aside_volume_id")]):
            v = top
            while v:
                if v not in vols:
                    problems.append(f"{what}: {d}: volume {v} of its chain is not in the metadata")
                    break
                chains.add(v)
                parent = vols[v][1]["parent"]
                path = os.path.join(ROOT, "images", img, v)
                q = json.loads(sh("qemu-img", "info", "-U", "--output=json", path).stdout)
                backing = os.path.basename(q.get("backing-filename", "")) if "backing-filename" in q else ""
                if backing != parent:
                    problems.append(f"{what}: {d}: volume {v} is backed by '{backing}', the metadata says '{parent}'")
                v = parent
        r = sh("qemu-img", "check", "-U", "-q", "-f", info["format"], info["path"], check=False)
        # 3: leaked clusters only, space a killed qemu-img commit had allocated in the base and not yet
        # referenced: no data is wrong or lost (qemu-img(1)); 63 on raw: nothing to check
        if r.returncode not in (0, 3) and not (info["format"] == "raw" and r.returncode == 63):
            problems.append(f"{what}: {d}: qemu-img check: {r.stdout.strip()} {r.stderr.strip()}")
        files = set(os.listdir(os.path.join(ROOT, "images", img)))
        described = {v for v, (i, _) in vols.items() if i == img}
        for f in sorted(files - described):
            problems.append(f"{what}: {d}: file {f} is in no metadata (orphan)")
        for v in sorted(described - files):
            problems.append(f"{what}: {d}: volume {v} of the metadata has no file (lost)")
        for v in sorted(described - chains):
            problems.append(f"{what}: {d}: volume {v} is in no chain of the disk (leaked)")
        if not reads(info["path"], info["format"], state[d]):
            problems.append(f"{what}: {d}: the active layer does not read {state[d]}")
    # memory images (create --memory): each one a snapshot names, with its file, and nothing else in its directory
    named = {s["memory_image"].split(": ")[1].split("/")[0]: s["id"]
             for s in js("rhv-snap", "list", "v", "-c", "id,memory_image")["snapshots"] if s.get("memory_image")}
    mem = {img["id"]: img for img in m["images"] if img.get("content") == "memory"}
    for i, img in mem.items():
        files = set(os.listdir(os.path.join(ROOT, "images", i))) if os.path.isdir(os.path.join(ROOT, "images", i)) else set()
        vol = img["volumes"][0]["id"]
        if i not in named:
            problems.append(f"{what}: memory image {i} is named by no snapshot (orphan)")
        if vol not in files:
            problems.append(f"{what}: memory image {i} has no file (lost)")
        for f in sorted(files - {vol}):
            problems.append(f"{what}: memory image {i}: file {f} is in no metadata (orphan)")
    for i, sid in named.items():
        if i not in mem:
            problems.append(f"{what}: snapshot {sid} names memory image {i}, which the metadata does not have")
    known = set(mem) | {disk(d)["id"] for d in DISKS}
    for f in sorted(set(os.listdir(os.path.join(ROOT, "images"))) - known):
        problems.append(f"{what}: images/{f} is neither a disk nor a memory image (orphan)")
    live = {s["id"]: s for s in snaps()}
    for sid, content in model.items():
        if sid not in live:
            problems.append(f"{what}: snapshot {sid} is gone")
            continue
        for dv in live[sid]["volumes"]:
            vol = dv["volume_id"]
            path = os.path.join(ROOT, "images", dv["id"], vol)
            fmt = vols[vol][1]["format"] if vol in vols else "qcow2"
            if not reads(path, fmt, content[dv["name"]]):
                problems.append(f"{what}: snapshot {sid}: {dv['name']} does not read {content[dv['name']]}")
    for sid in live:
        if sid not in model:
            problems.append(f"{what}: snapshot {sid} appeared from nowhere")
    return len(problems) == before


def killed(cmd, delay):
    """Run cmd, SIGKILL it after delay seconds (if it still runs).  True when it was killed."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        p.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return True


def resume():
    r = sh("rhv-snap", "resume", "-q", "-o", "json", check=False)
    if r.returncode == 4 and "lease" in r.stderr:
        # the documented limit (rhv-snap(1), delete): libvirt keeps the lease of a volume a live merge
        # wrote into until the guest stops; the merge then finishes offline
        sh("rhv-vm", "stop", "v", "-q")
        r = sh("rhv-snap", "resume", "-q", "-o", "json", check=False)
    if r.returncode != 0:
        problems.append(f"resume failed: {r.stderr.strip()}")
        return []
    return json.loads(r.stdout)["items"]


# How long each kind of operation takes here, measured once unkilled: kills land anywhere in it.
durations = {}
counts = {"interrupted": 0, "ran": 0}
runs = {}  # per kind
KINDS = ("commit", "create live", "create live with memory", "create offline", "delete live", "delete offline",
         "preview", "undo")


def op(kind, cmd, settle):
    """One operation, killed at a random moment, then resume; settle(ids before, ids after) updates the model."""
    before = {s["id"] for s in snaps()}
    dur = durations.get(kind)
    t0 = time.monotonic()
    if dur is None:
        sh(*cmd, check=False)
        durations[kind] = max(time.monotonic() - t0, 0.05)
        was_killed = False
    else:
        was_killed = killed(cmd, rng.uniform(0, dur * 1.1))
    items = resume()
    counts["ran"] += 1
    runs[kind] = runs.get(kind, 0) + 1
    counts["interrupted"] += bool(items)
    after = {s["id"]: s for s in snaps()}
    settle(before, after)
    check(f"{kind} #{counts['ran']} ({'killed' if was_killed else 'whole'})")


def create(kind):
    def settle(before, after):
        for sid in set(after) - before:
            model[sid] = {d: list(state[d]) for d in DISKS}
    op(kind, ["rhv-snap", "create", "v", "-q"] + (["--memory"] if "memory" in kind else []), settle)


def delete(kind):
    sid = rng.choice(sorted(model))

    def settle(before, after):
        if sid not in after:
            del model[sid]
    op(kind, ["rhv-snap", "delete", sid, "-q"], settle)


def preview():
    global aside
    sid = rng.choice(sorted(model))

    def settle(before, after):
        global aside
        if after.get(sid, {}).get("status") == "InPreview":
            aside = {d: list(state[d]) for d in DISKS}
            for d in DISKS:
                state[d] = list(model[sid][d])
    op("preview", ["rhv-snap", "preview", sid, "-q"], settle)


def end_preview(kind):
    global aside
    sid = next(s for s in snaps() if s["status"] == "InPreview")["id"]

    def settle(before, after):
        global aside
        if after[sid]["status"] == "InPreview":
            return  # killed before it began
        if kind == "undo":
            for d in DISKS:
                state[d] = aside[d]
        for gone in set(model) - set(after):
            del model[gone]
        aside = None
    op(kind, ["rhv-snap", kind, "v", "-q"], settle)


def in_preview():
    return any(s["status"] == "InPreview" for s in snaps())


write_all()
check("start")
def least_run(*kinds):
    return min(kinds, key=lambda k: runs.get(k, 0))


def live():
    if vm_state() != "Up":
        sh("rhv-vm", "start", "v", "-q")


# NOPS operations of a random walk; the kinds it missed (how operations end moves the choices)
# follow it, deliberately (force)
while counts["ran"] < NOPS:
    # the VM down: writes, offline operations
    if vm_state() != "Down":
        sh("rhv-vm", "stop", "v", "-q")
    for _ in range(3):
        write_all()
        if in_preview():
            end_preview(least_run("commit", "undo"))
        elif model and (len(model) >= 4 or rng.random() < 0.3):
            # a preview that ends is what commit and undo need: until both ran, preview
            if min(runs.get("commit", 0), runs.get("undo", 0)) < 1:
                preview()
            else:
                delete("delete offline") if least_run("delete offline", "preview") == "delete offline" else preview()
        else:
            create("create offline")
    if in_preview():
        end_preview(least_run("commit", "undo"))
    # the VM up: live operations (its BIOS finds nothing to boot and writes nothing)
    for _ in range(3):
        live()  # a resume may have stopped it
        if model and (len(model) >= 4 or rng.random() < 0.4):
            delete("delete live")
        else:
            create(least_run("create live", "create live with memory"))


def force(kind):
    """One operation of a kind the random walk missed (its end moved the choices away), set up for it."""
    if in_preview():
        end_preview(least_run("commit", "undo"))
    up = kind in ("create live", "create live with memory", "delete live")
    if up:
        live()
    elif vm_state() != "Down":
        sh("rhv-vm", "stop", "v", "-q")
    if not model and not kind.startswith("create"):
        create("create live" if up else "create offline")
        if up:
            live()  # a resume may have stopped it
    if not model and not kind.startswith("create"):
        return
    if kind.startswith("create"):
        create(kind)
    elif kind.startswith("delete"):
        delete(kind)
    elif kind == "preview":
        preview()
    else:
        preview()
        if in_preview():
            end_preview(kind)


# a run of bad luck, whatever the machine: every kind once more, deliberately
for _ in range(3):
    for kind in [k for k in KINDS if runs.get(k, 0) < 1]:
        force(kind)
if in_preview():
    end_preview(least_run("commit", "undo"))

kinds = sorted(runs)
print(f"{counts['ran'] >= 100 and 'at least 100' or counts['ran']} operations, each killed at a random moment and resumed")
print("kinds:", ", ".join(kinds))
print("some were interrupted half-way:", "yes" if counts["interrupted"] >= 10 else f"only {counts['interrupted']}")
if problems:
    print(f"{len(problems)} broken rules:")
    for p in problems[:40]:
        print(" ", p)
else:
    print("after every recovery: nothing Locked, chains valid, no orphan or lost volume, data identical")
if vm_state() != "Down":
    sh("rhv-vm", "stop", "v", "-q")
