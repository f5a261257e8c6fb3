// libxml2's HTML parser and tree, for reading websites as text (Sources/GreenlightWork/Website).
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU; its headers would then pull in the system's ICU, whose enums
// clash with Foundation's own copy of ICU. Nothing here touches the ICU parts of libxml2's structs.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/globals.h>

/// `xmlFree` is a global function pointer in libxml2, which Swift's strict concurrency refuses to read.
static inline void greenlight_xml_free(void *pointer) { xmlFree(pointer); }
