/*
 * bt_names.c: register, lookup, withdraw, admit and whois, and every
 * refusal of the policy.
 */
#include "bt.h"

static const char *const rules[] = {
	"register log by logd",
	"register blk/* by virtio-*",
	"register crash/* by crashy",
	"lookup log by *",
	"lookup blk/* by fs*",
	"lookup crash/* by fs*",
	NULL,
};

/* The log server: answers each call with the caller's badge in mr0. */
static void echo_badge(uint64_t arg)
{
	hl_cptr_t ep = arg & 0xFFFF, reply = arg >> 16;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r = hl_recv(ep, reply, &m);

	for (;;) {
		m.info = hl_msginfo(0, 0, 1);
		m.mr[0] = r.value;
		r = hl_reply_recv(ep, reply, &m);
	}
}

void bt_area_names(void)
{
	hl_cptr_t log_ep = kt_new(HL_OBJ_ENDPOINT, 0, "log endpoint");
	hl_cptr_t log_reply = kt_new(HL_OBJ_REPLY, 0, "log reply");
	hl_cptr_t got = rt_slot_alloc(), got2 = rt_slot_alloc(), ntfn = kt_new(HL_OBJ_NOTIFICATION, 0, "ntfn");
	hl_cptr_t recv_only = kt_mint(log_ep, HL_R_READ, 0);
	struct kt_thread logd;
	struct hl_msg m = { hl_msginfo(0, 0, 0), { 0, 0, 0, 0 } };
	char who[BUS_WHOIS_CLIENT_MAX + 1];
	uint64_t badge = 0;
	unsigned free0;

	if (!bt_start(rules, 4))
		return;
	free0 = bus_free_slots(&bt.bus);
	kt_spawn(&logd, NULL, echo_badge, log_ep | log_reply << 16, KT_ROOT_PRIO, 0);

	kt_is(bus_register(bt.logd, "log", log_ep), E_OK, "register log by logd");
	kt_is(bus_register(bt.logd, "log", log_ep), E_EXIST, "register log again: E_EXIST");
	kt_is(bus_lookup(bt.fs, "log", got), E_OK, "lookup log by fs0");
	kt_is(bt_type(got, &badge), HL_OBJ_ENDPOINT, "lookup: an endpoint arrives");
	kt_is(badge, BT_FS, "lookup: badged with the client's bus badge");
	kt_is((hl_cnode_identify(HL_CAP_CNODE, got, 64, NULL).value >> 8) & HL_R_READ, 0,
	      "lookup: the copy cannot receive");
	kt_is(hl_call(got, &m).status, E_OK, "call the looked-up endpoint");
	kt_is(m.mr[0], BT_FS, "the server sees the client's badge");
	kt_is(bus_whois(bt.logd, m.mr[0], who), E_OK, "whois the caller's badge");
	kt_ok(!strcmp(who, "fs0"), "whois: fs0 (%s)", who);
	kt_is(bus_whois(bt.logd, 77, who), E_NOCAP, "whois an unknown badge: E_NOCAP");
	kt_is(bus_whois(bt.stranger, BT_FS, who), E_PERM, "whois by a stranger: E_PERM");
	kt_is(bus_lookup(bt.logd, "log", got2), E_OK, "lookup log by logd");
	kt_is(bt_type(got2, &badge) == HL_OBJ_ENDPOINT && badge == BT_LOGD, 1, "its own badge");
	kt_is(bus_lookup(bt.fs, "blk/none", got2), E_NOCAP, "lookup of an unregistered name: E_NOCAP");
	kt_is(bus_lookup(bt.fs, "/log", got2), E_INVAL, "lookup of a malformed name: E_INVAL");
	kt_is(bus_lookup(bt.fs, "a name", got2), E_INVAL, "lookup of a name with a space: E_INVAL");

	kt_is(bus_register(bt.virtio, "blk/virtio0", ntfn), E_INVAL, "register a notification: E_INVAL");
	kt_is(bus_register(bt.virtio, "blk/virtio0", recv_only), E_INVAL,
	      "register an endpoint without send and grant: E_INVAL");
	kt_is(bus_register(bt.virtio, "blk/", log_ep), E_INVAL, "register a malformed name: E_INVAL");
	kt_is(bt_type(ntfn, NULL), HL_OBJ_NOTIFICATION, "a refused cap stays the sender's");

	kt_is(bus_withdraw(bt.fs, "log"), E_PERM, "withdraw someone else's name: E_PERM");
	kt_is(bus_withdraw(bt.logd, "nothere"), E_NOCAP, "withdraw an unregistered name: E_NOCAP");
	kt_is(bus_withdraw(bt.stranger, "log"), E_PERM, "withdraw by a stranger: E_PERM");
	kt_is(bus_withdraw(bt.logd, "log"), E_OK, "withdraw log by logd");
	kt_is(bt_type(got, NULL), HL_OBJ_NULL, "withdraw revokes the copies handed out");
	kt_is(bus_lookup(bt.fs, "log", got), E_NOCAP, "lookup after withdraw: E_NOCAP");
	kt_is(bus_register(bt.logd, "log", log_ep), E_OK, "register log again after withdraw");
	kt_is(bus_withdraw(bt.logd, "log"), E_OK, "and withdraw it");
	kt_is(bus_free_slots(&bt.bus), free0, "bus: every slot back");

	kt_is(bus_admit(bt.fs, 40, "x"), E_PERM, "admit by a client: E_PERM");
	kt_is(bus_admit(bt.owner, 0, "x"), E_INVAL, "admit badge 0: E_INVAL");
	kt_is(bus_admit(bt.owner, 40, "bad name"), E_INVAL, "admit a malformed client name: E_INVAL");
	kt_is(bus_admit(bt.owner, BT_FS, "again"), E_EXIST, "admit an admitted badge: E_EXIST");
	kt_is(bus_admit(bt.owner, BT_OWNER, "init"), E_OK, "the owner names itself");
	kt_is(bus_whois(bt.fs, BT_OWNER, who) == E_OK && !strcmp(who, "init"), 1, "whois owner: init");
	kt_is(bus_gone(bt.fs, BT_LOGD), E_PERM, "gone by a client: E_PERM");
	kt_is(bus_gone(bt.owner, BT_OWNER), E_INVAL, "gone of the owner: E_INVAL");
	kt_is(bus_gone(bt.owner, 41), E_NOCAP, "gone of an unknown badge: E_NOCAP");

	kt_kill(&logd);
	bt_stop();
	kt_del(recv_only);
	kt_del(ntfn);
	kt_del(log_reply);
	kt_del(log_ep);
	rt_slot_free(got);
	rt_slot_free(got2);
}

void bt_area_policy(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "endpoint"), got = rt_slot_alloc();

	if (!bt_start(rules, 2))
		return;
	kt_is(bus_register(bt.fs, "log", ep), E_PERM, "register log by fs0: E_PERM");
	kt_is(bus_register(bt.logd, "blk/virtio0", ep), E_PERM, "register blk/virtio0 by logd: E_PERM");
	kt_is(bus_register(bt.logd, "logx", ep), E_PERM, "register an unlisted name: E_PERM");
	kt_is(bus_register(bt.stranger, "log", ep), E_PERM, "register by an unadmitted badge: E_PERM");
	kt_is(bus_register(bt.plain, "log", ep), E_PERM, "register on an unbadged cap: E_PERM");
	kt_is(bus_register(bt.owner, "log", ep), E_PERM, "the owner obeys the rules too");
	kt_is(bus_register(bt.virtio, "blk/virtio0", ep), E_OK, "register blk/virtio0 by virtio-blk");
	kt_is(bus_lookup(bt.fs, "blk/virtio0", got), E_OK, "lookup blk/* by fs0");
	kt_del(got);
	got = rt_slot_alloc();
	kt_is(bus_lookup(bt.logd, "blk/virtio0", got), E_PERM, "lookup blk/virtio0 by logd: E_PERM");
	kt_is(bus_lookup(bt.virtio, "blk/virtio0", got), E_PERM, "registering is not looking up");
	kt_is(bus_lookup(bt.stranger, "blk/virtio0", got), E_PERM, "lookup by a stranger: E_PERM");
	kt_is(bus_wait(bt.logd, "blk/virtio0", 0, got), E_PERM, "wait without a lookup rule: E_PERM");
	kt_is(bus_watch(bt.logd, "blk/virtio0"), E_PERM, "watch without a lookup rule: E_PERM");
	kt_is(bt_type(got, NULL), HL_OBJ_NULL, "nothing arrives on a refusal");
	bt_stop();
	kt_del(ep);
	rt_slot_free(got);
}
