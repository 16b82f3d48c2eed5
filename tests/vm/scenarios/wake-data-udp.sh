# SPDX-License-Identifier: GPL-2.0
# A frozen app is woken by data on its marked udp socket, reads every byte
# intact (CRC over the stream), and is frozen again after its window.
. /tests/lib.sh
. /tests/app.sh

wake_data --udp
