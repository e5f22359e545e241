import sys

from certmutual.cli import main

sys.exit(main())
