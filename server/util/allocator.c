/* allocator.c — see allocator.h. */
#include "util/allocator.h"

#ifdef BOOTHD_TCMALLOC
#include <stddef.h>

#include <gperftools/malloc_extension_c.h>

const char *allocator_name(void)
{
    /* Asks tcmalloc itself, so the line tells the truth; calling into the library is also
     * what keeps a linker that drops unreferenced libraries (--as-needed) from dropping it. */
    size_t allocated = 0;
    return MallocExtension_GetNumericProperty("generic.current_allocated_bytes", &allocated) ? "tcmalloc" : "system";
}
#else
const char *allocator_name(void) { return "system"; }   /* glibc, or ASan's in sanitizer builds */
#endif
