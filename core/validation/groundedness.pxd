# C types for judging claims (see core/compiled_modules.py): the message, its day mentions and the
# scopes as C structs, read (like claim_patterns.Spot) without attribute look-ups, positions as C
# integers, helpers as cpdef.

import cython
from core.validation.claim_patterns cimport Spot

cdef class _DayMention:
    cdef public Py_ssize_t start, end
    cdef public str kind
    cdef public object value
    cdef public bint is_claim

cdef class _Scope:
    cdef public list outputs
    cdef public object days
    cdef public object problem

cdef class _Message:
    cdef public str text
    cdef public object index, today, _breaks, _dates, _day_index, carried
    cdef public list outputs, sentence_ends, sentences, places, place_starts, days, sentence_days
    cdef public tuple lower_and_runs
    cdef public set covered
    cdef public dict scopes, matches, _weekday_index
    cdef public bint places_decide

@cython.locals(position=Py_ssize_t, following=Py_ssize_t, mention_end=Py_ssize_t, mention_start=Py_ssize_t,
               best_distance=double)
cpdef _nearest_in_sentence(list starts, list spans, Py_ssize_t start, Py_ssize_t end, Py_ssize_t low,
                           Py_ssize_t high, Py_ssize_t break_before, Py_ssize_t break_after)

@cython.locals(position=Py_ssize_t, break_before=Py_ssize_t, break_after=Py_ssize_t, breaks=list, day=_DayMention)
cpdef _Scope _scope(_Message context, Py_ssize_t start, Py_ssize_t end, Py_ssize_t low, Py_ssize_t high, list days)

@cython.locals(spot=Spot, scope=_Scope, start=Py_ssize_t, end=Py_ssize_t, kind=str)
cpdef list _judge_message(_Message context, list spots)

@cython.locals(position=Py_ssize_t, first=Py_ssize_t, occurrence=Py_ssize_t, reached=Py_ssize_t, name=str)
cpdef list _month_day_matches(str text, list names)

cpdef list _facts(list outputs, str kind, days)
cpdef tuple _claim(_Message context, str kind, Py_ssize_t start, Py_ssize_t end, bint supported, nearest)

@cython.locals(low=double, high=double, kind=str)
cpdef bint _value_supported(_Scope scope, Spot spot, set covered)
cpdef bint _condition_supported(_Scope scope, Spot spot, set covered)
cpdef bint _chance_to_hedge(_Scope scope)
cpdef bint _inside_name(list places, Py_ssize_t position)
