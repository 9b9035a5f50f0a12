/*
 * date.c - calendar arithmetic on day numbers.
 *
 * Records carry dates only, never times, so a day count is the whole
 * representation: comparisons and "days since review" are subtractions.
 * The conversions are Howard Hinnant's civil-from-days algorithms, exact
 * for every Gregorian date. SOURCE_DATE_EPOCH (reproducible-builds.org)
 * pins "today" for tests and reproducible builds.
 */
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

date_days date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(date_days days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_parse(const char *s, size_t len, date_days *out)
{
	if (len != DATE_ISO_LEN || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -2;
	*out = date_from_ymd(y, m, d);
	return 0;
}

void date_format(date_days days, char *out)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	snprintf(out, DATE_ISO_LEN + 1, "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u);
}

void date_format_time(int64_t t, enum date_time_form form, char *out)
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	char day[DATE_ISO_LEN + 1];
	date_format((date_days)days, day);
	int h = (int)(secs / 3600), m = (int)(secs / 60 % 60),
	    s = (int)(secs % 60);
	switch (form) {
	case DATE_TIME_RFC3339:
		snprintf(out, DATE_TIME_SIZE, "%sT%02d:%02d:%02dZ", day, h, m,
			 s);
		break;
	case DATE_TIME_MINUTE:
		snprintf(out, DATE_TIME_SIZE, "%s %02d:%02d UTC", day, h, m);
		break;
	case DATE_TIME_MINUTE_ISO:
		snprintf(out, DATE_TIME_SIZE, "%sT%02d:%02dZ", day, h, m);
		break;
	}
}

int64_t date_now(void)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	if (epoch && *epoch) {
		char *end;
		long long v = strtoll(epoch, &end, 10);
		if (!*end && v >= 0)
			return v;
	}
	return (int64_t)time(NULL);
}

date_days date_today(void)
{
	int64_t now = date_now();
	return (date_days)(now / 86400);
}
