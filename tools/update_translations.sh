#!/usr/bin/env bash
# Refresh the translation catalogues from the source code, then compile them.
#
#   bash tools/update_translations.sh
#
# 1. pyside6-lupdate reads every src/cqms_desktop/**/*.py and collects the texts marked with
#    self.tr("…"), QCoreApplication.translate("Context", "…") and, in the modules without Qt,
#    QT_TRANSLATE_NOOP("Context", "…") into src/cqms_desktop/resources/i18n/
#    cqms_zh_CN.ts and cqms_en.ts.
#    Existing translations are kept; texts no longer in the code are marked obsolete.
# 2. Translate the new entries (pyside6-linguist
#    src/cqms_desktop/resources/i18n/cqms_zh_CN.ts, or edit the XML).
#    English needs no translation: the source texts are English (the .ts exists for plurals).
# 3. pyside6-lrelease compiles each .ts into the .qm the program loads at start.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
OUT=src/cqms_desktop/resources/i18n
mkdir -p "$OUT"

mapfile -t SOURCES < <(find src/cqms_desktop -name '*.py' -not -path '*/__pycache__/*' | sort)
if [ "${#SOURCES[@]}" -eq 0 ]; then
  echo "no Python sources found under src/cqms_desktop" >&2
  exit 1
fi

for lang in zh_CN en; do
  "$BIN/pyside6-lupdate" -locations none -source-language en -target-language "$lang" \
    "${SOURCES[@]}" -ts "$OUT/cqms_$lang.ts"
done

for lang in zh_CN en; do
  "$BIN/pyside6-lrelease" -silent "$OUT/cqms_$lang.ts" -qm "$OUT/cqms_$lang.qm"
done

# Report what is left to translate in Chinese.
"$BIN/python" - "$OUT/cqms_zh_CN.ts" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
todo = [
    m for m in root.iter("message")
    if (t := m.find("translation")) is not None and t.get("type") == "unfinished"
]
total = sum(
    1 for m in root.iter("message")
    if (t := m.find("translation")) is not None and t.get("type") not in ("obsolete", "vanished")
)
print(f"{sys.argv[1]}: {total - len(todo)} of {total} texts translated")
PY
