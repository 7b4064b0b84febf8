#!/bin/bash
# electron-builder's own after-install steps (the app on PATH as ${executable}, chrome-sandbox), plus
# the `lifeboat` command: the script beside the app that runs the CLI in the app binary.

if type update-alternatives 2>/dev/null >&1; then
    # Remove previous link if it doesn't use update-alternatives
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

# The CLI, unless the server package (lifeboat-server) already put its own `lifeboat` there.
if [ ! -e /usr/bin/lifeboat ] || [ -L /usr/bin/lifeboat -a "`readlink /usr/bin/lifeboat`" = '/opt/${sanitizedProductName}/resources/bin/lifeboat' ]; then
    ln -sf '/opt/${sanitizedProductName}/resources/bin/lifeboat' /usr/bin/lifeboat
fi

# Check if user namespaces are supported by the kernel and working with a quick test:
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    # Use SUID chrome-sandbox only on systems without user namespaces:
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi
