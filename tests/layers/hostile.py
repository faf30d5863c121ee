"""Hostile strings that must display verbatim and run nothing (shared by unit and browser tests)."""

HOSTILE_NAMES = (
    "{{ 7*7 }}",
    "{% if 1 %}x{% endif %}",
    "<img src=x onerror=alert(1)>",
    "`loft`",
    "${x}",
    "</script>",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
)
