# ToolExchange and Conversation as C structs (see core/compiled_modules.py), built by a C __init__,
# several times faster than the dataclass's interpreted one.

cdef class ToolExchange:
    cdef public object call_id, name
    cdef public Py_ssize_t call_index
    cdef public object raw_arguments, arguments, argument_error
    cdef public bint weight_zero
    cdef public object response_index, response

cdef class Conversation:
    cdef public tuple messages, exchanges, user_texts, assistant_texts
    cdef public dict metadata
    cdef public object today
