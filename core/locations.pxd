# C types for reading the capitalised place names in a text (see core/compiled_modules.py): texts and
# bytes as such, positions as C integers, helpers as cpdef.

import cython

@cython.locals(raw=bytes, aligned=bytes, marked=bytes, lowered=str, following=str, words=list, key=str,
               at=Py_ssize_t, start=Py_ssize_t, size=Py_ssize_t, mentions=list)
cpdef _capitalised_mentions(str text)

@cython.locals(head=str, key=str, keys=tuple)
cpdef _longest_name(list words)

@cython.locals(back=Py_ssize_t, start=Py_ssize_t)
cpdef bint _hidden(list previous, list words)

@cython.locals(index=Py_ssize_t, reached=Py_ssize_t)
cpdef Py_ssize_t _kept_index(bytes aligned, Py_ssize_t kept)

@cython.locals(words=list, size=Py_ssize_t, qualifier=str)
cpdef _resolve(tuple candidates, str following, Py_ssize_t skip)
