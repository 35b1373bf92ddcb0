from .cli import main

main(prog_name="jobdesc")  # `python -m jobdesc` is `jobdesc`: its usage lines and its TAB completion
