/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libvoipwake-glib: the voipwake bargain for GLib apps.
 *
 *   #include <voipwake-glib.h>
 *   cc app.c $(pkg-config --cflags --libs voipwake-glib)
 *
 * See libvoipwake-glib(3), and Documentation/glib.rst in the sources.
 */
#ifndef VOIPWAKE_GLIB_H
#define VOIPWAKE_GLIB_H

#define VOIPWAKE_GLIB_INSIDE
#include "vw-types.h"
#include "vw-error.h"
#include "vw-client.h"
#undef VOIPWAKE_GLIB_INSIDE

#endif /* VOIPWAKE_GLIB_H */
