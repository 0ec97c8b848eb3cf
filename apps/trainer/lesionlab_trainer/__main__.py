from lesionlab_trainer.cli import main

raise SystemExit(main())
