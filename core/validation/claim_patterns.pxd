# C types for spotting claims (see core/compiled_modules.py): texts as str, so that find, slicing
# and indexing are direct C calls, positions as C integers, helpers as cpdef, and Spot as a C struct.

import cython

cdef class Spot:
    cdef public str kind
    cdef public Py_ssize_t start, end
    cdef public double low, high
    cdef public frozenset supports, conflicts
    cdef public str polarity

cpdef list clause_breaks(str lower, words=*)
cpdef frozenset letter_runs(str lower, vocabulary=*)

@cython.locals(position=Py_ssize_t, end=Py_ssize_t, word=str)
cpdef list whole_words(str lower, words)

@cython.locals(position=Py_ssize_t, reached=Py_ssize_t, length=Py_ssize_t, mark=str)
cpdef list sentence_ends(str text)

cpdef _number(text)
cpdef list spot_numeric(str lower)
cpdef list _joined(str lower, list bare, next_start)

@cython.locals(start=Py_ssize_t, end=Py_ssize_t, value=double, delta=double, first=str)
cpdef _temperature(str lower, number, Py_ssize_t after, bint fahrenheit)

@cython.locals(low=Py_ssize_t, high=Py_ssize_t, windows=str, word=str, first=Py_ssize_t, last=Py_ssize_t)
cpdef _percent_kind(str lower, Py_ssize_t start, Py_ssize_t end)

cpdef _fitted_end(str lower, Py_ssize_t first, Py_ssize_t last, str word, Py_ssize_t low, Py_ssize_t high)
cpdef bint _is_word(Py_UCS4 char)

@cython.locals(start=Py_ssize_t, end=Py_ssize_t, position=Py_ssize_t, word=str)
cpdef list spot_conditions(str lower, words=*)

@cython.locals(piece=str)
cpdef bint _has_idiom(str window)

cpdef list _qualifiers(str lower, Py_ssize_t start)
cpdef _polarity(str lower, Py_ssize_t start, Py_ssize_t end)
