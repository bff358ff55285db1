"""`python -m notify openapi [PATH]`: write the OpenAPI document; needs no configuration.

Everything else is a flask command (`flask --app notify --help`), which needs the environment.
"""

import sys

from notify.openapi import write_document

USAGE = "usage: python -m notify openapi [PATH]"


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "openapi" or len(argv) > 2:
        print(USAGE, file=sys.stderr)
        return 2
    write_document(argv[1] if len(argv) == 2 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
