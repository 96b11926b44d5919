# Shell completion comes from the command tables and the store.
rhv-dc create Default -q
rhv-dc create Lab -q
rhv-cluster create prod --dc Default --cpu-type haswell -q
complete_words rhv-dc ''
complete_words rhv-dc -
complete_words rhv-dc show ''
complete_words rhv-dc show L
complete_words rhv-dc create x --storage-type ''
complete_words rhv-dc list -
complete_words rhv-dc help ''
complete_words rhv-cluster create c --dc ''
complete_words rhv-cluster create c --dc=D
complete_words rhv-cluster create c --cpu-type opt
complete_words rhv-cluster policy prod --param High
complete_words rhv-cluster policy prod --policy ''
complete_words rhv-cluster show ''
complete_words rhv-event list --severity ''
complete_words rhv-event list --object ''
complete_words rhv-db ''
