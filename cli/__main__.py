"""`python -m cli ...`: the same as the `city-reports` command."""
from cli.app import main

main()
