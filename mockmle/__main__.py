import sys

from mockmle.cli import main

sys.exit(main())
