#!/usr/bin/python3
"""A minimal WebKitGTK browser that WebKitWebDriver can drive, keeping website data in a folder.

MiniBrowser's automation sessions are always ephemeral, like Safari's Private Browsing. This one
keeps IndexedDB, the Cache API and service workers on disk, like a normal Safari tab or an app
added to the home screen, so a test can close the browser and open it again on the same data.

WebKitWebDriver starts it with the arguments of the session's `webkitgtk:browserOptions`:
    webkit-browser.py --automation --data-dir=DIR [--user-agent=UA] [--features=A,B]
It needs python3-gi and gir1.2-webkit2-4.1 (Debian), so it runs with /usr/bin/python3.
"""

import argparse
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402

# WebKitWebDriver checks the session's `browserName` against this.
BROWSER_NAME = "AftercareWebKit"


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--automation", action="store_true", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--user-agent")
    parser.add_argument("--features", default="")
    return parser.parse_args()


def make_settings(arguments):
    settings = WebKit2.Settings()
    if arguments.user_agent:
        settings.set_user_agent(arguments.user_agent)
    wanted = {name for name in arguments.features.split(",") if name}
    features = WebKit2.Settings.get_all_features()
    for index in range(features.get_length()):
        feature = features.get(index)
        if feature.get_identifier() in wanted:
            settings.set_feature_enabled(feature, True)
            wanted.discard(feature.get_identifier())
    if wanted:
        sys.exit(f"webkit-browser: unknown WebKit features {sorted(wanted)}")
    return settings


def main():
    arguments = parse_arguments()
    data = WebKit2.WebsiteDataManager(
        base_data_directory=f"{arguments.data_dir}/data",
        base_cache_directory=f"{arguments.data_dir}/cache",
    )
    context = WebKit2.WebContext(website_data_manager=data)
    context.set_automation_allowed(True)
    settings = make_settings(arguments)
    windows = []

    def create_web_view(_session):
        view = WebKit2.WebView(
            web_context=context, settings=settings, is_controlled_by_automation=True
        )
        window = Gtk.Window()
        window.set_default_size(412, 915)
        window.add(view)
        view.connect("close", lambda _view: window.destroy())
        window.connect("destroy", lambda _window: windows.remove(window))
        window.show_all()
        windows.append(window)
        return view

    def automation_started(_context, session):
        info = WebKit2.ApplicationInfo()
        info.set_name(BROWSER_NAME)
        info.set_version(
            WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version()
        )
        session.set_application_info(info)
        session.connect("create-web-view", create_web_view)

    context.connect("automation-started", automation_started)
    Gtk.main()


if __name__ == "__main__":
    main()
