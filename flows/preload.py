"""Imported once by the pool's fork server (flows.pool): loads every model, gazetteer and grammar of
the pipeline there, so each worker process forked from it starts warm and shares those pages."""
import atexit

from flows.pool import exit_now, warm_up

warm_up()
atexit.register(exit_now)  # the server's heap is not torn down object by object when the run ends
