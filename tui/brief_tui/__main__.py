from brief_tui.cli import main

raise SystemExit(main())
