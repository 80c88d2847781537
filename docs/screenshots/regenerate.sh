#!/usr/bin/env bash
# Regenerates the screenshots of the workspace's main screens in this folder: runs the browser
# tests that visit them with SWITCHBOARD_SCREENSHOTS set (Chromium as for ./test.sh). Chinese text
# needs a CJK font on the machine (e.g. Debian's fonts-wqy-zenhei), or it shows as boxes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export SWITCHBOARD_SCREENSHOTS=$PWD/docs/screenshots
dotnet test tests/Switchboard.Host.Tests --filter "FullyQualifiedName~Switchboard.Host.Tests.Workspace&FullyQualifiedName!~WorkspaceApiTests" "$@"
ls -1 "$SWITCHBOARD_SCREENSHOTS"/*.png
