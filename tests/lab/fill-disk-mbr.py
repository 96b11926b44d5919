#!/usr/bin/env python3
"""A 512-byte boot sector for the lab's OS-less guests: it writes COUNT
chunks of 127 sectors to its own boot disk through the BIOS (INT 13h,
extended write), from LBA 1 on, then halts.  A guest that really writes to
its thin disk, for tests of a storage domain running out of space.
Usage: fill-disk-mbr.py COUNT > mbr.bin   (COUNT * 63.5 KiB are written)"""
import struct
import sys

count = int(sys.argv[1])
base = 0x7C00
code = bytearray()
code += b"\x31\xC0"              # xor ax, ax
code += b"\x8E\xD8"              # mov ds, ax
loop = len(code)
code += b"\xBE\x00\x00"          # mov si, dap            (patched below)
code += b"\xB4\x43\xB0\x00"      # mov ah, 0x43 ; mov al, 0 (no verify)
code += b"\xB2\x80"              # mov dl, 0x80 (first hard disk: the boot disk)
code += b"\xCD\x13"              # int 0x13
code += b"\x66\x83\x06\x00\x00\x7F"  # add dword [dap+8], 127   (patched below)
code += b"\xFF\x0E\x00\x00"      # dec word [count]          (patched below)
jnz = len(code)
code += b"\x75\x00"              # jnz loop                  (patched below)
halt = len(code)
code += b"\xF4\xEB\xFD"          # hlt ; jmp hlt
dap = len(code)
code += struct.pack("<BBHHHQ", 0x10, 0, 127, 0x0000, 0x1000, 1)
counter = len(code)
code += struct.pack("<H", count)
struct.pack_into("<H", code, loop + 1, base + dap)
struct.pack_into("<H", code, loop + 14, base + dap + 8)
struct.pack_into("<H", code, loop + 19, base + counter)
code[jnz + 1] = (loop - (jnz + 2)) & 0xFF
sector = bytes(code).ljust(510, b"\0") + b"\x55\xAA"
sys.stdout.buffer.write(sector)
