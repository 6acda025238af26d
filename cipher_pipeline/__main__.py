import sys

from cipher_pipeline.cli import main

sys.exit(main())
