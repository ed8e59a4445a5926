#!/usr/bin/env bash
# eimza — the demo's pinentry (development only): `scripts/demo.sh serve` starts the signing
# agent with EIMZA_PINENTRY pointing here, so the demo runs in one terminal without a PIN
# dialogue. It speaks the few lines of the Assuan protocol the agent uses (src/sign/
# pinentry.c) and answers GETPIN with:
#   the demo card «eimza-demo»      its PIN, 123456;
#   any other card (a new card made  the first line of $EIMZA_DEMO_PIN_FILE — write there the
#   by the in-house CA)              PIN the portal showed on /pin — or, when that file is
#                                    missing or empty, "cancelled" (the page says so; no try
#                                    of the card's PIN is spent).
# A real agent asks the person through the system's pinentry instead.
set -u
echo "OK Pleased to meet you"
desc=
while IFS= read -r line; do
  if [[ $line == "SETDESC "* ]]; then
    desc=${line#SETDESC }
    echo OK
  elif [[ $line == GETPIN ]]; then
    pin=
    if [[ $desc == *"eimza-demo»"* ]]; then
      pin=123456
    elif [ -n "${EIMZA_DEMO_PIN_FILE:-}" ] && [ -s "$EIMZA_DEMO_PIN_FILE" ]; then
      pin=$(head -n 1 "$EIMZA_DEMO_PIN_FILE" | tr -cd '0-9')
    fi
    if [ -n "$pin" ]; then
      echo "D $pin"
      echo OK
    else
      echo "ERR 83886179 Operation cancelled <Pinentry>"
    fi
  elif [[ $line == BYE ]]; then
    echo "OK closing connection"
    exit 0
  else
    echo OK
  fi
done
