#!/bin/bash
# electron-builder's own after-remove step, plus the `lifeboat` link after-install made (only ours).

if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/usr/bin/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

if [ -L /usr/bin/lifeboat ] && [ "`readlink /usr/bin/lifeboat`" = '/opt/${sanitizedProductName}/resources/bin/lifeboat' ]; then
    rm -f /usr/bin/lifeboat
fi
