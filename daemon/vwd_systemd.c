// SPDX-License-Identifier: GPL-2.0
/* What voipwaked reads of systemd's units' signals. */

#include <string.h>

#include "vwd.h"

/*
 * The string value of @key in a unit's PropertiesChanged, if the signal
 * carries it: NULL when it is about another interface or another key.
 * The value lives as long as @m.
 */
const char *vwd_unit_prop_changed(sd_bus_message *m, const char *key)
{
	const char *iface, *k, *val;

	if (sd_bus_message_read(m, "s", &iface) < 0 || strcmp(iface, SD_UNIT))
		return NULL;
	if (sd_bus_message_enter_container(m, 'a', "{sv}") < 0)
		return NULL;
	while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
		if (sd_bus_message_read(m, "s", &k) < 0)
			return NULL;
		if (strcmp(k, key))
			sd_bus_message_skip(m, "v");
		else if (sd_bus_message_read(m, "v", "s", &val) >= 0)
			return val;
		sd_bus_message_exit_container(m);
	}
	return NULL;
}
