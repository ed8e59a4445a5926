/* eimza — the signing agent on a freedesktop.org desktop (Debian's GNOME, KDE, Xfce, …): the
 * implementation of sign/platform.h.
 *
 *   settings    /etc/eimza/agent.conf, then $XDG_CONFIG_HOME/eimza/agent.conf
 *               (~/.config/eimza/agent.conf when XDG_CONFIG_HOME is unset or relative, as the
 *               XDG Base Directory specification says)
 *   modules     AKİS's libakisp11.so where Kamu SM's installer puts it
 *   dialogues   pinentry (GnuPG's, GTK/Qt/curses: whichever Debian's alternative points to),
 *               spoken to in Assuan (pinentry.c): GETPIN for the PIN, CONFIRM for "sign
 *               this?", MESSAGE for errors
 *   handler     a .desktop file with MimeType=x-scheme-handler/eimza (xdg-open and the
 *               browsers find it through xdg-mime), and a systemd user unit for the loopback
 *               listener
 *
 * Other systems: see "A port to Windows or macOS" in docs/ARCHITECTURE.md. */
#if !defined(_WIN32) && !defined(__APPLE__)

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/platform.h"

const char *sign_platform_name(void)
{
    return "freedesktop";
}

void sign_platform_config_paths(char *machine, size_t mcap, char *user, size_t ucap)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;
    n = snprintf(machine, mcap, "/etc/eimza/agent.conf");
    if (n < 0 || (size_t)n >= mcap)
        machine[0] = '\0';
    if (xdg && xdg[0] == '/')
        n = snprintf(user, ucap, "%s/eimza/agent.conf", xdg);
    else if (home && home[0] == '/')
        n = snprintf(user, ucap, "%s/.config/eimza/agent.conf", home);
    else
        n = -1;
    if (n < 0 || (size_t)n >= ucap)
        user[0] = '\0';
}

const char *const *sign_platform_modules(void)
{
    static const char *const modules[] = {
        "/usr/lib/libakisp11.so",
        "/usr/lib/x86_64-linux-gnu/libakisp11.so",
        "/usr/local/lib/libakisp11.so",
        NULL,
    };
    return modules;
}

void sign_platform_ui(struct sign_ui *ui, const char *helper)
{
    void *arg = (void *)helper; /* pinentry's name or path; NULL: $EIMZA_PINENTRY or "pinentry" */
    memset(ui, 0, sizeof *ui);
    ui->ask_pin = sign_pin_from_pinentry;
    ui->pin_arg = arg;
    ui->confirm = sign_confirm_from_pinentry;
    ui->confirm_arg = arg;
    ui->message = sign_message_from_pinentry;
    ui->message_arg = arg;
}

int sign_platform_register_hint(const char *exe, struct ubuf *out)
{
    return ubuf_printf(
        out,
        "# The handler of eimza: links (what the browser opens on the relay path):\n"
        "# ~/.local/share/applications/eimza-agent.desktop "
        "(for every user: /usr/share/applications/)\n"
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=eimza e-imza aracı\n"
        "Name[en]=eimza signing agent\n"
        "Exec=%s agent --handle-url %%u\n"
        "MimeType=x-scheme-handler/eimza;\n"
        "NoDisplay=true\n"
        "Terminal=false\n"
        "# then: update-desktop-database ~/.local/share/applications\n"
        "#       xdg-mime default eimza-agent.desktop x-scheme-handler/eimza\n"
        "\n"
        "# The loopback listener (what the page reaches at http://127.0.0.1:8089):\n"
        "# ~/.config/systemd/user/eimza-agent.service (for every user: /usr/lib/systemd/user/)\n"
        "[Unit]\n"
        "Description=eimza local signing agent\n"
        "PartOf=graphical-session.target\n"
        "After=graphical-session.target\n"
        "[Service]\n"
        "ExecStart=%s agent\n"
        "Restart=on-failure\n"
        "NoNewPrivileges=yes\n"
        "[Install]\n"
        "WantedBy=graphical-session.target\n"
        "# then: systemctl --user daemon-reload\n"
        "#       systemctl --user enable --now eimza-agent.service\n"
        "\n"
        "# Both read /etc/eimza/agent.conf and ~/.config/eimza/agent.conf (module = …, one\n"
        "# origin = https://… line per portal).\n",
        exe, exe);
}

#endif
