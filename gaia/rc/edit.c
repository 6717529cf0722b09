/*
 * edit.c: the line editor (see edit.h).  Every change redraws the line:
 * carriage return, prompt, the visible part of the text, erase to end of
 * line, then the cursor is put back with a column move.  Text wider than
 * the terminal scrolls sideways around the cursor.  UTF-8 sequences
 * move and erase as one character.
 */
#include "edit.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)

void history_add(struct edit_history *h, const char *line)
{
	if (!*line || (h->n && !strcmp(h->line[h->n - 1], line)))
		return;
	if (h->n == EDIT_HISTORY) {
		free(h->line[0]);
		memmove(h->line, h->line + 1, (EDIT_HISTORY - 1) * sizeof h->line[0]);
		h->n--;
	}
	h->line[h->n++] = estrdup(line);
}

static int is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Columns taken by s[0..n): one per character, not per byte. */
static size_t columns(const char *s, size_t n)
{
	size_t i, cols = 0;

	for (i = 0; i < n; i++)
		if (!is_cont((unsigned char)s[i]))
			cols++;
	return cols;
}

static void set_line(struct editor *ed, const char *s)
{
	ed->line.len = 0;
	buf_adds(&ed->line, s);
	ed->cursor = ed->line.len;
}

static void redraw(struct editor *ed)
{
	const char *prompt = ed->searching ? "(reverse-i-search)'" : ed->prompt;
	struct buf *o = &ed->out;
	size_t pcols, avail, ccol, start = 0, end = ed->line.len;
	char tmp[32];

	buf_adds(o, "\r");
	buf_adds(o, prompt);
	pcols = columns(prompt, strlen(prompt));
	if (ed->searching) {
		buf_add(o, ed->search.s, ed->search.len);
		buf_adds(o, "': ");
		pcols += columns(ed->search.s, ed->search.len) + 3;
	}
	avail = (size_t)ed->width > pcols + 1 ? (size_t)ed->width - pcols - 1 : 1;
	/* scroll so the cursor is visible */
	while (columns(ed->line.s + start, ed->cursor - start) >= avail) {
		start++;
		while (start < ed->cursor && is_cont((unsigned char)ed->line.s[start]))
			start++;
	}
	while (columns(ed->line.s + start, end - start) > avail) {
		end--;
		while (end > ed->cursor && is_cont((unsigned char)ed->line.s[end]))
			end--;
	}
	buf_add(o, ed->line.s + start, end - start);
	buf_adds(o, "\x1b[K\r");
	ccol = pcols + columns(ed->line.s + start, ed->cursor - start);
	if (ccol) {
		snprintf(tmp, sizeof tmp, "\x1b[%zuC", ccol);
		buf_adds(o, tmp);
	}
}

void edit_start(struct editor *ed, const char *prompt, int width, struct edit_history *hist)
{
	memset(ed, 0, sizeof *ed);
	buf_adds(&ed->line, "");
	buf_adds(&ed->search, "");
	buf_adds(&ed->out, "");
	ed->prompt = prompt;
	ed->width = width > 10 ? width : 80;
	ed->hist = hist;
	ed->hpos = hist ? hist->n : 0;
	buf_adds(&ed->out, prompt);
}

void edit_finish(struct editor *ed)
{
	free(ed->line.s);
	free(ed->search.s);
	free(ed->out.s);
	free(ed->saved);
	memset(ed, 0, sizeof *ed);
}

static void insert(struct editor *ed, const char *s, size_t n)
{
	struct buf *l = &ed->line;

	buf_add(l, s, n);	/* grow, then open the gap */
	memmove(l->s + ed->cursor + n, l->s + ed->cursor, l->len - n - ed->cursor);
	memcpy(l->s + ed->cursor, s, n);
	ed->cursor += n;
}

/* Delete bytes [from, to) of the line. */
static void erase(struct editor *ed, size_t from, size_t to)
{
	struct buf *l = &ed->line;

	memmove(l->s + from, l->s + to, l->len - to + 1);
	l->len -= to - from;
	ed->cursor = from;
}

static size_t prev_char(struct editor *ed, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && is_cont((unsigned char)ed->line.s[i]))
		i--;
	return i;
}

static size_t next_char(struct editor *ed, size_t i)
{
	if (i >= ed->line.len)
		return ed->line.len;
	i++;
	while (i < ed->line.len && is_cont((unsigned char)ed->line.s[i]))
		i++;
	return i;
}

static void history_move(struct editor *ed, int dir)
{
	struct edit_history *h = ed->hist;
	int to;

	if (!h)
		return;
	to = ed->hpos + dir;
	if (to < 0 || to > h->n)
		return;
	if (ed->hpos == h->n) {
		free(ed->saved);
		ed->saved = estrdup(ed->line.s);
	}
	ed->hpos = to;
	set_line(ed, to == h->n ? (ed->saved ? ed->saved : "") : h->line[to]);
}

/* ^R: find the newest entry before search_from containing the text. */
static void search_update(struct editor *ed, int older)
{
	struct edit_history *h = ed->hist;
	int i = ed->search_from - (older ? 1 : 0);

	if (!h)
		return;
	for (; i >= 0; i--)
		if (i < h->n && strstr(h->line[i], ed->search.s)) {
			ed->search_from = i;
			ed->hpos = i;
			set_line(ed, h->line[i]);
			ed->cursor = (size_t)(strstr(h->line[i], ed->search.s) - h->line[i]);
			return;
		}
}

/* A byte while searching; returns 1 if it ended the search and should
 * be handled again as an editing key. */
static int search_key(struct editor *ed, unsigned char c)
{
	if (c == CTRL('R')) {
		search_update(ed, 1);
	} else if (c == 0x7f || c == CTRL('H')) {
		if (ed->search.len)
			ed->search.s[--ed->search.len] = 0;
	} else if (c == CTRL('G')) {
		ed->searching = 0;
		set_line(ed, ed->saved ? ed->saved : "");
		ed->hpos = ed->hist ? ed->hist->n : 0;
	} else if (c >= 0x20 && c != 0x7f) {
		buf_addc(&ed->search, (char)c);
		search_update(ed, 0);
	} else {
		ed->searching = 0;
		return 1;
	}
	return 0;
}

/* The final byte of an escape sequence ESC [ ... or ESC O ... */
static void escape_key(struct editor *ed)
{
	const char *s = ed->escbuf;

	if (!strcmp(s, "[D") || !strcmp(s, "OD"))
		ed->cursor = prev_char(ed, ed->cursor);
	else if (!strcmp(s, "[C") || !strcmp(s, "OC"))
		ed->cursor = next_char(ed, ed->cursor);
	else if (!strcmp(s, "[A") || !strcmp(s, "OA"))
		history_move(ed, -1);
	else if (!strcmp(s, "[B") || !strcmp(s, "OB"))
		history_move(ed, 1);
	else if (!strcmp(s, "[H") || !strcmp(s, "OH") || !strcmp(s, "[1~") || !strcmp(s, "[7~"))
		ed->cursor = 0;
	else if (!strcmp(s, "[F") || !strcmp(s, "OF") || !strcmp(s, "[4~") || !strcmp(s, "[8~"))
		ed->cursor = ed->line.len;
	else if (!strcmp(s, "[3~") && ed->cursor < ed->line.len)
		erase(ed, ed->cursor, next_char(ed, ed->cursor));
}

/* Collect an escape sequence; returns 1 while inside one. */
static int escape_byte(struct editor *ed, unsigned char c)
{
	if (ed->esc == 1) {
		if (c != '[' && c != 'O') {
			ed->esc = 0;
			return 1;	/* ESC x: ignored */
		}
		ed->esc = 2;
		ed->escbuf[0] = (char)c;
		ed->nesc = 1;
		return 1;
	}
	if (ed->nesc < (int)sizeof ed->escbuf - 1)
		ed->escbuf[ed->nesc++] = (char)c;
	if (c >= 0x40 && c <= 0x7e) {	/* the final byte */
		ed->escbuf[ed->nesc] = 0;
		ed->esc = 0;
		escape_key(ed);
	}
	return 1;
}

static void delete_word(struct editor *ed)
{
	size_t i = ed->cursor;

	while (i > 0 && ed->line.s[i - 1] == ' ')
		i--;
	while (i > 0 && ed->line.s[i - 1] != ' ')
		i--;
	erase(ed, i, ed->cursor);
}

static enum edit_result control_key(struct editor *ed, unsigned char c)
{
	switch (c) {
	case '\r': case '\n':
		buf_adds(&ed->out, "\r\n");
		return EDIT_DONE;
	case CTRL('C'):
		buf_adds(&ed->out, "\r\n");
		return EDIT_INTERRUPT;
	case CTRL('D'):
		if (!ed->line.len) {
			buf_adds(&ed->out, "\r\n");
			return EDIT_EOF;
		}
		if (ed->cursor < ed->line.len)
			erase(ed, ed->cursor, next_char(ed, ed->cursor));
		break;
	case 0x7f: case CTRL('H'):
		if (ed->cursor)
			erase(ed, prev_char(ed, ed->cursor), ed->cursor);
		break;
	case CTRL('A'): ed->cursor = 0; break;
	case CTRL('E'): ed->cursor = ed->line.len; break;
	case CTRL('B'): ed->cursor = prev_char(ed, ed->cursor); break;
	case CTRL('F'): ed->cursor = next_char(ed, ed->cursor); break;
	case CTRL('P'): history_move(ed, -1); break;
	case CTRL('N'): history_move(ed, 1); break;
	case CTRL('K'): erase(ed, ed->cursor, ed->line.len); ed->cursor = ed->line.len; break;
	case CTRL('U'): erase(ed, 0, ed->cursor); break;
	case CTRL('W'): delete_word(ed); break;
	case CTRL('R'):
		ed->searching = 1;
		ed->search.len = 0;
		ed->search.s[0] = 0;
		free(ed->saved);
		ed->saved = estrdup(ed->line.s);
		ed->search_from = ed->hist ? ed->hist->n : 0;
		break;
	case '\t':
		insert(ed, "\t", 1);
		break;
	case 0x1b:
		ed->esc = 1;
		return EDIT_MORE;
	default:
		return EDIT_MORE;	/* other control bytes are ignored */
	}
	redraw(ed);
	return EDIT_MORE;
}

enum edit_result edit_feed(struct editor *ed, unsigned char c)
{
	if (ed->esc) {
		escape_byte(ed, c);
		if (!ed->esc)
			redraw(ed);
		return EDIT_MORE;
	}
	if (ed->searching) {
		if (!search_key(ed, c)) {
			redraw(ed);
			return EDIT_MORE;
		}
	}
	if (c < 0x20 || c == 0x7f)
		return control_key(ed, c);
	insert(ed, (const char *)&c, 1);
	redraw(ed);
	return EDIT_MORE;
}

static struct edit_history history;

const char *edit_line(int in, int out, const char *prompt, long *len)
{
	static struct buf result;
	struct editor ed;
	enum edit_result r = EDIT_MORE;
	unsigned char c;

	if (os_term_raw(in, 1) < 0) {
		/* not a terminal after all: read plainly */
		result.len = 0;
		buf_adds(&result, "");
		rc_printf(out, "%s", prompt);
		while (os_read(in, &c, 1) == 1) {
			buf_addc(&result, (char)c);
			if (c == '\n')
				break;
		}
		*len = (long)result.len;
		if (!result.len)
			*len = EDIT_EOF;
		return result.len ? result.s : NULL;
	}
	edit_start(&ed, prompt, os_term_width(out), &history);
	while (r == EDIT_MORE) {
		os_write(out, ed.out.s, ed.out.len);
		ed.out.len = 0;
		if (os_read(in, &c, 1) != 1) {
			r = EDIT_EOF;
			break;
		}
		r = edit_feed(&ed, c);
	}
	os_write(out, ed.out.s, ed.out.len);
	os_term_raw(in, 0);
	result.len = 0;
	buf_adds(&result, ed.line.s);
	if (r == EDIT_DONE) {
		history_add(&history, ed.line.s);
		buf_addc(&result, '\n');
	}
	edit_finish(&ed);
	*len = r == EDIT_DONE ? (long)result.len : r;
	return r == EDIT_DONE ? result.s : NULL;
}
