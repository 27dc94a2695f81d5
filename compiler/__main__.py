"""`python -m compiler` runs the cpc command line."""

from compiler.cli import main

if __name__ == "__main__":
    main(prog_name="cpc")
