#!/usr/bin/env python3
"""eimza — runs Debian's wapiti 3.0.4 (the `wapiti` command's own entry point, same arguments)
with one fix: its wildcard_translate builds the regular expression of an excluded URL (-x) as
PATTERN + r'\\Z(?ms)', which Python 3.11 refuses ("global flags not at the start of the
expression"), so any -x aborts the scan. The flags are moved to the front; nothing else is
changed. scripts/scan.sh uses it to keep the crawl away from the logout forms.
"""
import re
import sys

import wapitiCore.net.crawler as crawler
from wapitiCore.main.wapiti import wapiti_main


def wildcard_translate(pattern):
    return re.compile('(?ms)' + ''.join('.*' if c == '*' else re.escape(c) for c in pattern) +
                      r'\Z')


crawler.wildcard_translate = wildcard_translate

if __name__ == '__main__':
    sys.argv[0] = 'wapiti'
    sys.exit(wapiti_main())
