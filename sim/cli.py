"""The ``sim`` command. Thin: parses arguments, calls the library, turns user errors into one line.

The command's modules are the only ones that know about terminals and exit codes: ``sim.cli_parser``
holds the options, ``sim.cli_commands`` the commands, and this one turns errors into exit codes. A
mistake of the user's never shows a traceback: it is one line, ``sim: error: ...`` or
``FILE:LINE: key.path: problem (expected ...)``, and one of these exit codes:

====  ==========================================================================================
code  meaning
====  ==========================================================================================
0     done
1     a mistake in the input: a scenario file, a result folder, a ``--set`` or ``--param`` that
      does not fit the scenario, an ``--out`` that is a file, a Sobol ``--n`` that is no power of two
2     command-line usage: an unknown command or option, a missing argument, or a value of the
      wrong form (a seed outside [0, 2**63), ``--runs 0``, ``--workers 1.5``)
3     a failure of the environment: the disk or permissions (cannot write ``--out``), a result
      folder another run is writing, a damaged result folder (corrupt manifest or runs), the network
      or the cluster (Dask scheduler out of reach), worker processes that cannot start
130   interrupted (Ctrl-C); finished chunks stay in ``--out`` for ``--resume``
====  ==========================================================================================
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

from .cli_commands import EXIT_ENVIRONMENT, EXIT_INPUT, fail
from .cli_parser import EXIT_USAGE, build_parser
from .errors import EnvironmentFailure, ExperimentError, ScenarioError, UnreadSetting

__all__ = ["EXIT_ENVIRONMENT", "EXIT_INPUT", "EXIT_INTERRUPTED", "EXIT_USAGE", "main"]

EXIT_INTERRUPTED = 130

def _experiment_failure(exc: ExperimentError) -> int:
    # Failures of the machine (disk, folders, cluster, workers) are raised as EnvironmentFailure.
    return fail(str(exc), EXIT_ENVIRONMENT if isinstance(exc, EnvironmentFailure) else EXIT_INPUT)


def _os_failure(exc: OSError) -> int:
    where = f"{exc.filename}: " if exc.filename else ""
    return fail(f"{where}{exc.strerror or exc}", EXIT_ENVIRONMENT)


def _run_command(args) -> int:
    """Run the command under the Dask deadlines it was given (--connect-timeout, --no-workers-timeout)."""
    connect, no_workers = getattr(args, "connect_timeout", None), getattr(args, "no_workers_timeout", None)
    with warnings.catch_warnings():
        # --no-strict: each setting no mechanism reads is one line on stderr, told once.
        warnings.simplefilter("always", UnreadSetting)
        shown = warnings.showwarning

        def show(message, category, *rest, **kw) -> None:
            if issubclass(category, UnreadSetting):
                print(f"sim: warning: {message}", file=sys.stderr)
            else:
                shown(message, category, *rest, **kw)

        warnings.showwarning = show
        if connect is None and no_workers is None:
            return args.func(args)
        from .deadlines import deadlines

        with deadlines(connect=connect, no_workers=no_workers):
            return args.func(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sim`` command; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its one line (or the help)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return int(_run_command(args) or 0)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INPUT
    except ExperimentError as exc:
        return _experiment_failure(exc)
    except KeyboardInterrupt:
        print("\nsim: interrupted; finished chunks are kept in --out (rerun with --resume)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except OSError as exc:
        return _os_failure(exc)


if __name__ == "__main__":
    sys.exit(main())
