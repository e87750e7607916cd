# WeatherOutput as a C struct (see core/compiled_modules.py), built by a C __init__, several times
# faster than the dataclass's interpreted one.

cdef class WeatherOutput:
    cdef public Py_ssize_t ordinal, message_index
    cdef public double latitude, longitude
    cdef public str place
    cdef public object place_name
    cdef public bint current
    cdef public frozenset dates
    cdef public dict by_kind
