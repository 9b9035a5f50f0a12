/* Cancel Atlas forms: fill in the record id when the correction or audit
 * form is opened from a record's link (?record=ID). */
(function () {
	"use strict";
	var id = new URLSearchParams(location.search).get("record");
	var input = document.getElementById("c-record") ||
		document.getElementById("a-record");
	if (id && input && !input.value && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))
		input.value = id;
})();
